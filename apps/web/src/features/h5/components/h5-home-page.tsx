import { useState } from 'react';
import { App, Button, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { MeDto } from '@wenming/contracts';
import { useMyCommunity } from '../hooks/use-my-community';
import { CategoryGrid } from './category-grid';
import { CommunityPicker } from './community-picker';
import { placePath } from './site-names';
import { useDocumentTitle } from '../../../lib/use-document-title';

function greeting(d = new Date()): string {
  const h = Number(new Intl.DateTimeFormat('zh-CN', { hour: 'numeric', hour12: false, timeZone: 'Asia/Shanghai' }).format(d).replace(/\D/g, ''));
  if (h < 5) return '夜深了';
  if (h < 11) return '早上好';
  if (h < 13) return '中午好';
  if (h < 18) return '下午好';
  return '晚上好';
}

const today = () =>
  new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' }).format(new Date());

/** 首页: a greeting, my community, and the service categories. */
export function H5HomePage({ me }: { me: MeDto }) {
  useDocumentTitle('首页');
  const { message } = App.useApp();
  const { community, setCommunity } = useMyCommunity(me.id);
  const [picking, setPicking] = useState(false);

  return (
    <div className="h5-page">
      <section className="h5-hero">
        <div className="h5-hero-greeting" data-testid="greeting">
          {greeting()}，{me.name}
        </div>
        <div className="h5-hero-date">今天是{today()}</div>
        <div className="h5-hero-slogan">有需求，来点单；有时间，做志愿</div>
      </section>

      <section className="h5-card" data-testid="my-community">
        <div className="h5-card-head">
          <span className="h5-card-title">
            <EnvironmentOutlined /> 我的社区
          </span>
          {community && (
            <Button type="link" onClick={() => setPicking(true)} style={{ paddingInline: 0 }}>
              更换
            </Button>
          )}
        </div>
        {community ? (
          <div className="h5-community">
            <div className="h5-community-name" data-testid="community-name">
              {community.name}
            </div>
            <div className="h5-community-path">{placePath(community.pathNames)}</div>
            {community.address && <div className="h5-community-address">{community.address}</div>}
          </div>
        ) : (
          <div className="h5-community-empty">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
              选择您所在的社区（村），就近参加活动、获取服务。
            </Typography.Paragraph>
            <Button type="primary" block size="large" onClick={() => setPicking(true)} data-testid="pick-community">
              选择我的社区
            </Button>
          </div>
        )}
      </section>

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">服务类别</span>
          <Typography.Text type="secondary" className="h5-card-hint">
            “8+N”志愿服务菜单
          </Typography.Text>
        </div>
        <CategoryGrid />
      </section>

      <CommunityPicker
        open={picking}
        onClose={() => setPicking(false)}
        currentId={community?.id}
        onPick={(org) => {
          setCommunity(org);
          setPicking(false);
          message.success(`已设为我的社区：${org.name}`);
        }}
      />
    </div>
  );
}

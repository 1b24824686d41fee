import { useState, type ReactNode } from 'react';
import { App, Button, Switch, Typography } from 'antd';
import { CalendarOutlined, EditOutlined, EnvironmentOutlined, FileSearchOutlined, FontSizeOutlined, HeartOutlined, RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { useMyCommunity, type Community } from '../../../lib/my-community';
import { CategoryGrid } from './category-grid';
import { CommunityPicker } from '../../../components/community-picker';
import { placePath } from '../../../lib/site-names';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useElderlyMode } from '../../../lib/elderly-mode';

function greeting(d = new Date()): string {
  const h = Number(new Intl.DateTimeFormat('zh-CN', { hour: 'numeric', hour12: false, timeZone: 'Asia/Shanghai' }).format(d).replace(/\D/g, ''));
  if (h < 5) return '夜深了';
  if (h < 11) return '早上好';
  if (h < 13) return '中午好';
  if (h < 18) return '下午好';
  return '晚上好';
}

const today = () => new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' }).format(new Date());

/** The 长辈模式 switch, on the home page itself (both modes): kept with the account. */
function ElderlySwitch() {
  const elderly = useElderlyMode();
  return (
    <label className="h5-card h5-elderly-toggle" htmlFor="home-elderly-switch">
      <FontSizeOutlined className="h5-elderly-toggle-icon" aria-hidden />
      <span className="h5-elderly-toggle-label">
        长辈模式
        <span className="h5-row-desc">{elderly.enabled ? '大字、大按钮，已开启' : '字更大、按钮更大、颜色更清楚'}</span>
      </span>
      <Switch id="home-elderly-switch" checked={elderly.enabled} onChange={elderly.setEnabled} data-testid="home-elderly-switch" aria-label="长辈模式" />
    </label>
  );
}

/** 长辈模式's home: the greeting, the three things people come for as large buttons, the community and the switch. */
function ElderlyHome({ me, community, onPick }: { me: MeDto; community: Community | null; onPick: () => void }) {
  return (
    <div className="h5-page h5-elderly-home" data-testid="elderly-home">
      <section className="h5-hero">
        <h1 className="h5-hero-greeting" data-testid="greeting">
          {greeting()}，{me.name}
        </h1>
        <div className="h5-hero-date">今天是{today()}</div>
      </section>
      <nav className="h5-elderly-actions" aria-label="常用服务">
        <Link to="/h5/order/new" className="h5-elderly-action order" data-testid="elderly-order">
          <EditOutlined aria-hidden />
          <span>
            <b>我要点单</b>
            <small>说出需求，志愿者上门</small>
          </span>
        </Link>
        <Link to="/h5/orders" className="h5-elderly-action orders" data-testid="elderly-orders">
          <FileSearchOutlined aria-hidden />
          <span>
            <b>我的工单</b>
            <small>看看办到哪一步了</small>
          </span>
        </Link>
        <Link to="/h5/activities" className="h5-elderly-action activities" data-testid="elderly-activities">
          <CalendarOutlined aria-hidden />
          <span>
            <b>社区活动</b>
            <small>报名参加身边的活动</small>
          </span>
        </Link>
      </nav>
      <section className="h5-card" data-testid="my-community">
        <h2 className="h5-card-title">
          <EnvironmentOutlined /> 我的社区
        </h2>
        {community ? (
          <div className="h5-community">
            <div className="h5-community-name" data-testid="community-name">
              {community.name}
            </div>
            <Button size="large" block onClick={onPick} style={{ marginTop: 12 }}>
              更换社区
            </Button>
          </div>
        ) : (
          <Button type="primary" block size="large" onClick={onPick} data-testid="pick-community">
            选择我的社区
          </Button>
        )}
      </section>
      <ElderlySwitch />
    </div>
  );
}

/** 首页: a greeting, 我要点单, my community and its service menu, activities near me, news, and the service categories. */
export function H5HomePage({
  me,
  serviceMenu,
  news,
  upcoming,
}: {
  me: MeDto;
  serviceMenu: (orgId: string) => ReactNode;
  /** 文明资讯 of my community's chain (all when no community is chosen yet). */
  news?: (orgId: string | undefined) => ReactNode;
  /** 近期活动 around my community. */
  upcoming?: (community: Community) => ReactNode;
}) {
  useDocumentTitle('首页');
  const { message } = App.useApp();
  const { community, setCommunity } = useMyCommunity(me.id);
  const [picking, setPicking] = useState(false);
  const elderly = useElderlyMode();

  const picker = (
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
  );
  if (elderly.enabled)
    return (
      <>
        <ElderlyHome me={me} community={community} onPick={() => setPicking(true)} />
        {picker}
      </>
    );

  return (
    <div className="h5-page">
      <section className="h5-hero">
        <div className="h5-hero-greeting" data-testid="greeting">
          {greeting()}，{me.name}
        </div>
        <div className="h5-hero-date">今天是{today()}</div>
        <div className="h5-hero-slogan">有需求，来点单；有时间，做志愿</div>
      </section>

      <div className="h5-quick">
        <Link to="/h5/order/new" className="h5-quick-order" data-testid="home-order">
          <EditOutlined className="h5-quick-icon" />
          <span>
            <b>我要点单</b>
            <small>说出需求，志愿者上门</small>
          </span>
        </Link>
        <Link to={me.volunteerId ? '/h5/volunteer' : '/h5/volunteer/register'} className="h5-quick-volunteer" data-testid="home-volunteer">
          <HeartOutlined className="h5-quick-icon" />
          <span>
            <b>{me.volunteerId ? '我的志愿' : '志愿者报到'}</b>
            <small>{me.volunteerId ? '时长 · 星级 · 积分' : '有时间，做志愿'}</small>
          </span>
        </Link>
      </div>

      <section className="h5-card h5-menu">
        <Link className="h5-row" to="/h5/resources" data-testid="home-resources">
          <span className="h5-row-icon">
            <CalendarOutlined />
          </span>
          <span className="h5-row-label">
            场馆预约
            <span className="h5-row-desc">舞蹈室、活动室、红色影院，借音响帐篷</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
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

      {community && (
        <section className="h5-card">
          <div className="h5-card-head">
            <span className="h5-card-title">服务菜单</span>
            <Typography.Text type="secondary" className="h5-card-hint">
              点一项，直接下单
            </Typography.Text>
          </div>
          {serviceMenu(community.id)}
        </section>
      )}

      {community && upcoming?.(community)}

      {news?.(community?.id)}

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">服务类别</span>
          <Typography.Text type="secondary" className="h5-card-hint">
            点类别，快速点单
          </Typography.Text>
        </div>
        <CategoryGrid />
      </section>

      <ElderlySwitch />
      {picker}
    </div>
  );
}

import type { ReactNode } from 'react';
import { Button, Popconfirm, Space } from 'antd';
import { FormOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { ActivityDto } from '../api/activities-api';
import { useActivityActions } from '../hooks/use-activity-actions';
import { FinishModal } from './finish-modal';

/** The buttons of an activity's page, drawn from what its state allows. */
export function ActivityActionsBar({ a }: { a: ActivityDto }) {
  const { can, people, run, busy, signups, finishing, setFinishing } = useActivityActions(a);
  const items: ReactNode[] = [];
  if (can('edit'))
    items.push(
      <Link key="edit" to={`/admin/activities/${a.id}/edit`}>
        <Button icon={<FormOutlined />} data-testid="activity-edit">
          编辑草稿
        </Button>
      </Link>,
    );
  if (can('checkinCode'))
    items.push(
      <Button key="screen" icon={<QrcodeOutlined />} href={`/screen/checkin/${a.id}`} target="_blank" data-testid="open-screen">
        签到大屏
      </Button>,
    );
  if (can('publish'))
    items.push(
      <Popconfirm
        key="publish"
        title="发布这个活动？"
        description="发布后居民和志愿者即可看到并报名。"
        okText="发布"
        cancelText="取消"
        onConfirm={() => run('publish', '已发布，开始招募')}
      >
        <Button type={a.seriesId ? 'default' : 'primary'} loading={busy('publish')} data-testid="activity-publish">
          {a.seriesId ? '只发布本次' : '发布'}
        </Button>
      </Popconfirm>,
    );
  if (can('finish'))
    items.push(
      <Button key="finish" type="primary" onClick={() => setFinishing(true)} data-testid="activity-finish">
        结束活动
      </Button>,
    );
  if (can('cancel'))
    items.push(
      <Popconfirm
        key="cancel"
        title="取消这个活动？"
        description={people ? `已报名的 ${people} 人会收到取消通知。取消后不能恢复。` : '取消后不能恢复。'}
        okText="取消活动"
        okButtonProps={{ danger: true }}
        cancelText="再想想"
        onConfirm={() => run('cancel', '活动已取消，已通知报名者')}
      >
        <Button danger loading={busy('cancel')} data-testid="activity-cancel">
          取消活动
        </Button>
      </Popconfirm>,
    );
  return (
    <>
      <Space wrap>{items}</Space>
      {finishing && <FinishModal a={a} signups={signups} onClose={() => setFinishing(false)} />}
    </>
  );
}

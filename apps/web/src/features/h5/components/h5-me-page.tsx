import { useState } from 'react';
import { App, Avatar, Button, Switch, Tag } from 'antd';
import {
  ClusterOutlined,
  CalendarOutlined,
  DesktopOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FontSizeOutlined,
  GiftOutlined,
  HeartOutlined,
  LockOutlined,
  LogoutOutlined,
  MessageOutlined,
  RightOutlined,
  UsergroupAddOutlined,
  ReadOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { maskPhone } from '@wenming/domain';
import { RoleTag } from '../../../components/role-tag';
import { errorMessage } from '../../../lib/api-client';
import { useElderlyMode } from '../../../lib/elderly-mode';
import { isStaff, isTeamLeader, useLogout } from '../../../lib/session';
import { useMyCommunity } from '../../../lib/my-community';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { CertificateLink } from '../../certificates';
import { ChangePasswordModal } from '../../auth';

/** 我的: who I am, 长辈模式, sign out. */
export function H5MePage({ me }: { me: MeDto }) {
  useDocumentTitle('我的');
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const logout = useLogout();
  const elderly = useElderlyMode();
  const { community } = useMyCommunity(me.id);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const confirmLogout = () =>
    modal.confirm({
      title: '退出登录？',
      content: '退出后需要重新输入手机号和密码登录。',
      okText: '退出',
      cancelText: '取消',
      onOk: async () => {
        try {
          await logout.mutateAsync();
          navigate('/login', { replace: true });
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  return (
    <div className="h5-page">
      <section className="h5-profile">
        <Avatar size={64} className="h5-avatar">
          {me.name.slice(-2)}
        </Avatar>
        <div>
          <div className="h5-profile-name" data-testid="me-name">
            {me.name}
          </div>
          <div className="h5-profile-phone" data-testid="me-phone">
            {maskPhone(me.phone)}
          </div>
        </div>
      </section>

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">我的身份</span>
        </div>
        <div className="h5-roles">
          {me.roles.map((r, i) => (
            <RoleTag key={r.id ?? i} role={r} />
          ))}
          {me.volunteerId && <Tag color="red">志愿者</Tag>}
          {me.ledTeams.map((t) => (
            <Tag key={t.id} color="gold">
              队长 · {t.name}
            </Tag>
          ))}
          {!me.roles.length && !me.volunteerId && !me.ledTeams.length && <Tag color="green">居民</Tag>}
        </div>
      </section>

      <section className="h5-card h5-menu">
        <Link className="h5-row" to={me.volunteerId ? '/h5/volunteer' : '/h5/volunteer/register'} data-testid="me-volunteer">
          <span className="h5-row-icon">
            <HeartOutlined />
          </span>
          <span className="h5-row-label">
            {me.volunteerId ? '我的志愿' : '志愿者报到'}
            <span className="h5-row-desc">{me.volunteerId ? '星级、服务时长、积分和服务记录' : '登记成为新时代文明实践志愿者'}</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        {me.volunteerId && <CertificateLink variant="row" />}
        {me.volunteerId && (
          <Link className="h5-row" to="/h5/pairing" data-testid="me-pairing">
            <span className="h5-row-icon">
              <UsergroupAddOutlined />
            </span>
            <span className="h5-row-label">
              结对帮扶
              <span className="h5-row-desc">上门看望结对的老人，登记探访</span>
            </span>
            <RightOutlined className="h5-row-arrow" />
          </Link>
        )}
        {me.volunteerId && (
          <Link className="h5-row" to="/h5/training" data-testid="me-training">
            <span className="h5-row-icon">
              <ReadOutlined />
            </span>
            <span className="h5-row-label">
              志愿培训
              <span className="h5-row-desc">报名培训、扫码签到，查看培训学时和资质</span>
            </span>
            <RightOutlined className="h5-row-arrow" />
          </Link>
        )}
        <Link className="h5-row" to="/h5/honours" data-testid="me-honours">
          <span className="h5-row-icon">
            <TrophyOutlined />
          </span>
          <span className="h5-row-label">
            评选表彰
            <span className="h5-row-desc">为身边的好志愿者投票，看光荣榜</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <Link className="h5-row" to="/h5/organisations" data-testid="me-organisations">
          <span className="h5-row-icon">
            <ClusterOutlined />
          </span>
          <span className="h5-row-label">
            我的组织
            <span className="h5-row-desc">加入的组织和队伍，申请加入、查看审核结果</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <Link className="h5-row" to="/h5/orders">
          <span className="h5-row-icon">
            <FileTextOutlined />
          </span>
          <span className="h5-row-label">我的工单</span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <Link className="h5-row" to="/h5/points" data-testid="me-points">
          <span className="h5-row-icon">
            <GiftOutlined />
          </span>
          <span className="h5-row-label">
            我的积分 · 积分商城
            <span className="h5-row-desc">积分明细、爱心超市兑换、取货码</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <Link className="h5-row" to="/h5/bookings" data-testid="me-bookings">
          <span className="h5-row-icon">
            <CalendarOutlined />
          </span>
          <span className="h5-row-label">
            我的预约
            <span className="h5-row-desc">场馆预约的审核结果、签到和评价</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <Link className="h5-row" to="/h5/me/notices" data-testid="me-notices">
          <span className="h5-row-icon">
            <MessageOutlined />
          </span>
          <span className="h5-row-label">
            消息设置
            <span className="h5-row-desc">哪些通知同时发短信、发微信</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </Link>
        <div className="h5-row">
          <span className="h5-row-icon">
            <EnvironmentOutlined />
          </span>
          <span className="h5-row-label">我的社区</span>
          <span className="h5-row-value">{community ? community.name : <Link to="/h5">去首页选择</Link>}</span>
        </div>
        <label className="h5-row" htmlFor="elderly-switch">
          <span className="h5-row-icon">
            <FontSizeOutlined />
          </span>
          <span className="h5-row-label">
            长辈模式
            <span className="h5-row-desc">字更大、对比更强，看得更清楚</span>
          </span>
          <Switch id="elderly-switch" checked={elderly.enabled} onChange={elderly.setEnabled} data-testid="elderly-switch" aria-label="长辈模式" />
        </label>
        <button type="button" className="h5-row h5-row-button" onClick={() => setPasswordOpen(true)} data-testid="me-change-password">
          <span className="h5-row-icon">
            <LockOutlined />
          </span>
          <span className="h5-row-label">
            修改密码
            <span className="h5-row-desc">修改后，其他设备上的登录将退出</span>
          </span>
          <RightOutlined className="h5-row-arrow" />
        </button>
        {isStaff(me) ? (
          <Link className="h5-row" to="/admin">
            <span className="h5-row-icon">
              <DesktopOutlined />
            </span>
            <span className="h5-row-label">进入管理后台</span>
          </Link>
        ) : isTeamLeader(me) ? (
          <Link className="h5-row" to="/admin/activities" data-testid="leader-console">
            <span className="h5-row-icon">
              <DesktopOutlined />
            </span>
            <span className="h5-row-label">
              队长工作台
              <span className="h5-row-desc">组织队伍活动、审核队员服务时长</span>
            </span>
          </Link>
        ) : null}
      </section>

      <Button block size="large" danger icon={<LogoutOutlined />} onClick={confirmLogout} loading={logout.isPending} className="h5-logout">
        退出登录
      </Button>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </div>
  );
}

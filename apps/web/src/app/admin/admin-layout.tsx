import { Suspense, useState, type ReactNode } from 'react';
import { App, Button, Dropdown, Grid, Layout, Menu, Tag, Typography, type MenuProps } from 'antd';
import {
  GiftOutlined,
  DashboardOutlined,
  BookOutlined,
  TrophyOutlined,
  BankOutlined,
  UserAddOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  MessageOutlined,
  ClockCircleOutlined,
  ClusterOutlined,
  DatabaseOutlined,
  CalendarOutlined,
  HeartOutlined,
  FlagOutlined,
  UsergroupAddOutlined,
  ScheduleOutlined,
  DownOutlined,
  EnvironmentOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  MobileOutlined,
  ReadOutlined,
  FundOutlined,
  TeamOutlined,
  UserOutlined,
  BarChartOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ROLE_NAMES, type MeDto } from '@wenming/contracts';
import { BrandMark, PRODUCT_NAME } from '../../components/brand';
import { PageLoading } from '../../components/page-loading';
import { errorMessage } from '../../lib/api-client';
import { canManage, isAdmin, isDeptOfficer, isLeaderOnly, isStaff, useLogout } from '../../lib/session';
import { NotificationBell } from '../../features/notifications/components/notification-bell';
import { ChangePasswordModal } from '../../features/auth';
import './admin.css';

/** 组织管理员 without a staff role: their organisations and the join requests to decide. */
export const ORGANISATION_ADMIN_MENU = [
  { key: '/admin/organisations', icon: <BankOutlined />, label: '组织管理' },
  { key: '/admin/join-requests', icon: <UserAddOutlined />, label: '加入申请' },
];

/** The menu shows only pages that exist and that the caller may open. */
export function adminMenu(me: MeDto): { key: string; icon: ReactNode; label: string; children?: { key: string; label: string }[] }[] {
  if (isLeaderOnly(me))
    return [
      { key: '/admin/workbench', icon: <DashboardOutlined />, label: '工作台' },
      { key: '/admin/activities', icon: <CalendarOutlined />, label: '活动管理' },
      { key: '/admin/records', icon: <ClockCircleOutlined />, label: '时长审核' },
      { key: '/admin/join-requests', icon: <UserAddOutlined />, label: '加入申请' },
    ];
  if (!isStaff(me) && isDeptOfficer(me))
    return [
      { key: '/admin/workbench', icon: <DashboardOutlined />, label: '工作台' },
      { key: '/admin/dept-work', icon: <SolutionOutlined />, label: '部门工作台' },
    ];
  return [
    { key: '/admin/workbench', icon: <DashboardOutlined />, label: '工作台' },
    { key: '/admin/dispatch', icon: <ScheduleOutlined />, label: '调度台' },
    ...(isDeptOfficer(me) ? [{ key: '/admin/dept-work', icon: <SolutionOutlined />, label: '部门工作台' }] : []),
    { key: '/admin/activities', icon: <CalendarOutlined />, label: '活动管理' },
    { key: '/admin/orgs', icon: <ApartmentOutlined />, label: '阵地管理' },
    { key: '/admin/volunteers', icon: <HeartOutlined />, label: '志愿者' },
    { key: '/admin/party-units', icon: <FlagOutlined />, label: '党员双报到' },
    { key: '/admin/teams', icon: <ClusterOutlined />, label: '队伍' },
    { key: '/admin/organisations', icon: <BankOutlined />, label: '组织管理' },
    { key: '/admin/join-requests', icon: <UserAddOutlined />, label: '加入申请' },
    { key: '/admin/records', icon: <ClockCircleOutlined />, label: '时长审核' },
    { key: '/admin/pairing', icon: <UsergroupAddOutlined />, label: '结对帮扶' },
    { key: '/admin/training', icon: <BookOutlined />, label: '培训管理' },
    { key: '/admin/honours', icon: <TrophyOutlined />, label: '评选表彰' },
    { key: '/admin/service-items', icon: <AppstoreOutlined />, label: '服务菜单' },
    { key: '/admin/stats', icon: <BarChartOutlined />, label: '统计分析' },
    {
      key: 'group-resources',
      icon: <DatabaseOutlined />,
      label: '资源库',
      children: [
        { key: '/admin/resources', label: '资源登记' },
        { key: '/admin/bookings', label: '预约审批' },
        { key: '/admin/resources-utilization', label: '利用率' },
      ],
    },
    {
      key: 'group-points',
      icon: <GiftOutlined />,
      label: '爱心超市',
      children: [
        { key: '/admin/points/fulfil', label: '核销取货' },
        { key: '/admin/points/rewards', label: '奖品管理' },
        { key: '/admin/points/redemptions', label: '兑换记录' },
        { key: '/admin/points/adjustments', label: '积分调整' },
        { key: '/admin/points/rules', label: '积分规则' },
        { key: '/admin/points/report', label: '积分月报' },
      ],
    },
    { key: '/admin/contents', icon: <ReadOutlined />, label: '内容发布' },
    {
      key: 'group-evaluation',
      icon: <FundOutlined />,
      label: '成效评估',
      children: [
        { key: '/admin/evaluation', label: '评估结果' },
        { key: '/admin/indicators', label: '指标体系' },
      ],
    },
    ...(canManage(me) ? [{ key: '/admin/users', icon: <UserOutlined />, label: '用户与角色' }] : []),
    { key: '/admin/departments', icon: <TeamOutlined />, label: '职能部门' },
    ...(isAdmin(me) ? [{ key: '/admin/categories', icon: <AppstoreOutlined />, label: '服务类别' }] : []),
    ...(canManage(me) ? [{ key: '/admin/audit', icon: <AuditOutlined />, label: '操作日志' }] : []),
    ...(canManage(me) ? [{ key: '/admin/messages', icon: <MessageOutlined />, label: '消息记录' }] : []),
  ];
}

/** 管辖范围: the sites the caller's roles are scoped to; picking one opens it in 阵地管理. */
function ScopeSwitcher({ me }: { me: MeDto }) {
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  if (isAdmin(me)) {
    return (
      <span className="admin-scope" data-testid="scope">
        <EnvironmentOutlined />
        {screens.md && '管辖范围：'}
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {screens.md ? '全部（超级管理员）' : '全部'}
        </Tag>
      </span>
    );
  }
  const scoped = me.roles.filter((r) => r.orgId && (r.role === 'org_admin' || r.role === 'dispatcher'));
  const first = scoped[0];
  if (!first) {
    const dept = me.roles.find((r) => r.role === 'dept_officer');
    if (dept)
      return (
        <span className="admin-scope" data-testid="scope" title={dept.departmentName}>
          <SolutionOutlined />
          {screens.md && '职能部门：'}
          <span className="admin-scope-name">{dept.departmentName}</span>
        </span>
      );
    if (!me.ledTeams.length) return null;
    const names = me.ledTeams.map((t) => t.name).join('、');
    return (
      <span className="admin-scope" data-testid="scope" title={names}>
        <TeamOutlined />
        {screens.md && '队长：'}
        <span className="admin-scope-name">{me.ledTeams[0]!.name}</span>
        {me.ledTeams.length > 1 && <Tag style={{ marginInline: 4 }}>+{me.ledTeams.length - 1}</Tag>}
      </span>
    );
  }
  const items: MenuProps['items'] = scoped.map((r, i) => ({
    key: `${r.orgId}-${i}`,
    label: (
      <span>
        {r.orgName} <Typography.Text type="secondary">（{ROLE_NAMES[r.role]}）</Typography.Text>
      </span>
    ),
    onClick: () => navigate(`/admin/orgs?org=${r.orgId}`),
  }));
  return (
    <Dropdown menu={{ items }} trigger={['click']}>
      <Button type="text" className="admin-scope" data-testid="scope">
        <EnvironmentOutlined />
        {screens.md && '管辖范围：'}
        <span className="admin-scope-name">{first.orgName}</span>
        {scoped.length > 1 && <Tag style={{ marginInline: 4 }}>+{scoped.length - 1}</Tag>}
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}

export function AdminLayout({ me, menu: menuOverride }: { me: MeDto; menu?: ReturnType<typeof adminMenu> }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const logout = useLogout();
  const menu = menuOverride ?? adminMenu(me);
  // 工单详情 belongs to 调度台.
  // Menu groups (资源库): the longest key the path starts with wins (/admin/resources vs /admin/resources-utilization).
  const leaves = menu.flatMap((m) => m.children ?? [m]);
  const selected = pathname.startsWith('/admin/orders/')
    ? '/admin/dispatch'
    : (leaves.filter((m) => pathname === m.key || pathname.startsWith(`${m.key}/`)).sort((a, b) => b.key.length - a.key.length)[0]?.key ??
      leaves.find((m) => pathname.startsWith(m.key))?.key);
  const openGroup = menu.find((m) => m.children?.some((c) => c.key === selected))?.key;
  const narrow = !screens.lg;

  const userItems: MenuProps['items'] = [
    { key: 'h5', icon: <MobileOutlined />, label: '切换到居民端', onClick: () => navigate('/h5') },
    { key: 'password', icon: <LockOutlined />, label: '修改密码', onClick: () => setPasswordOpen(true) },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: '退出登录',
      danger: true,
      onClick: () =>
        logout
          .mutateAsync()
          .then(() => navigate('/login', { replace: true }))
          .catch((e: unknown) => message.error(errorMessage(e))),
    },
  ];

  return (
    <Layout className="admin-shell">
      <Layout.Sider
        width={220}
        breakpoint="lg"
        collapsedWidth={narrow ? 0 : 72}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        className="admin-sider"
      >
        <div className="admin-logo" onClick={() => navigate('/admin')}>
          <BrandMark size={28} />
          {!collapsed && (
            <span>
              {PRODUCT_NAME}
              <small>管理后台</small>
            </span>
          )}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={openGroup ? [openGroup] : []}
          items={menu}
          onClick={({ key }) => {
            navigate(key);
            if (narrow) setCollapsed(true);
          }}
        />
      </Layout.Sider>
      {narrow && !collapsed && <div className="admin-backdrop" onClick={() => setCollapsed(true)} aria-hidden="true" />}
      <Layout>
        <Layout.Header className="admin-header">
          <Button
            type="text"
            aria-label={collapsed ? '展开菜单' : '收起菜单'}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed((c) => !c)}
          />
          <div className="admin-header-right">
            <ScopeSwitcher me={me} />
            <NotificationBell
              variant="admin"
              hrefOf={(n) =>
                n.refType === 'order' && n.refId
                  ? `/admin/orders/${n.refId}`
                  : n.refType === 'service_record'
                    ? '/admin/records'
                    : n.refType === 'booking'
                      ? '/admin/bookings'
                      : n.refType === 'join_request'
                        ? '/admin/join-requests'
                        : null
              }
            />
            <Dropdown menu={{ items: userItems }} trigger={['click']}>
              <Button type="text" className="admin-user" data-testid="current-user">
                <UserOutlined />
                <span className="admin-user-name">{me.name}</span>
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="admin-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}

import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  CarryOutOutlined,
  CarryOutFilled,
  FileTextOutlined,
  FileTextFilled,
  FlagFilled,
  FlagOutlined,
  HomeFilled,
  HomeOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Link, matchPath, Route, Routes, useLocation } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { NotFoundPage } from '../../components/not-found-page';
import { PageLoading } from '../../components/page-loading';
import { PRODUCT_NAME } from '../../components/brand';
import { H5HomePage } from '../../features/h5/components/h5-home-page';
import { H5Layout, type H5SubPage, type H5Tab } from '../../features/h5/components/h5-layout';
import { H5MePage } from '../../features/h5/components/h5-me-page';
import { NotificationBell } from '../../features/notifications/components/notification-bell';
import { ServiceMenuCards } from '../../features/service-items/components/service-menu-cards';
import { api } from '../../lib/api-client';
import { useMe } from '../../lib/session';
import { RequireSignedIn } from '../guards';
import './h5-common.css';

const lazyNamed = <K extends string>(load: () => Promise<Record<K, ComponentType<{ me: MeDto }>>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const H5OrderNewPage = lazyNamed(() => import('../../features/orders/components/h5-order-new-page'), 'H5OrderNewPage');
const H5OrderDetailPage = lazyNamed(() => import('../../features/orders/components/h5-order-detail-page'), 'H5OrderDetailPage');
const H5OrdersPage = lazy(() => import('../../features/orders/components/h5-orders-page').then((m) => ({ default: m.H5OrdersPage })));
const H5TasksPage = lazy(() => import('../../features/orders/components/h5-tasks-page').then((m) => ({ default: m.H5TasksPage })));
const H5VolunteerRegisterPage = lazyNamed(() => import('../../features/volunteers/components/h5-volunteer-register-page'), 'H5VolunteerRegisterPage');
const H5VolunteerPage = lazyNamed(() => import('../../features/volunteers/components/h5-volunteer-page'), 'H5VolunteerPage');
const H5ActivitiesPage = lazyNamed(() => import('../../features/activities/components/h5-activities-page'), 'H5ActivitiesPage');
const H5ActivityDetailPage = lazyNamed(() => import('../../features/activities/components/h5-activity-detail-page'), 'H5ActivityDetailPage');
const H5CheckinPage = lazy(() => import('../../features/activities/components/h5-checkin-page').then((m) => ({ default: m.H5CheckinPage })));
const H5PairingTasksPage = lazy(() => import('../../features/pairing/components/h5-pairing-tasks-page').then((m) => ({ default: m.H5PairingTasksPage })));
const H5PairingTaskPage = lazyNamed(() => import('../../features/pairing/components/h5-pairing-task-page'), 'H5PairingTaskPage');
const H5TrainingPage = lazyNamed(() => import('../../features/training'), 'H5TrainingPage');
const H5TrainingCheckinPage = lazy(() => import('../../features/training').then((m) => ({ default: m.H5TrainingCheckinPage })));
const H5HonoursPage = lazy(() => import('../../features/honours').then((m) => ({ default: m.H5HonoursPage })));
const H5HomeNews = lazy(() => import('../../features/content/components/h5-home-news').then((m) => ({ default: m.H5HomeNews })));
const H5HomeActivities = lazy(() => import('../../features/activities/components/h5-home-activities').then((m) => ({ default: m.H5HomeActivities })));
const H5NewsPage = lazyNamed(() => import('../../features/content/components/h5-news-page'), 'H5NewsPage');
const H5NewsDetailPage = lazy(() => import('../../features/content/components/h5-news-detail-page').then((m) => ({ default: m.H5NewsDetailPage })));
const H5ResourcesPage = lazyNamed(() => import('../../features/resources/components/h5-resources-page'), 'H5ResourcesPage');
const H5ResourceDetailPage = lazyNamed(() => import('../../features/resources/components/h5-resource-detail-page'), 'H5ResourceDetailPage');
const H5BookingsPage = lazy(() => import('../../features/resources/components/h5-bookings-page').then((m) => ({ default: m.H5BookingsPage })));
const H5NoticeSettingsPage = lazy(() =>
  import('../../features/notifications/components/h5-notice-settings-page').then((m) => ({ default: m.H5NoticeSettingsPage })),
);
const H5MyOrganisationsPage = lazyNamed(() => import('../../features/organisations/components/h5-my-organisations-page'), 'H5MyOrganisationsPage');

// 爱心超市 · 积分 (以行积分、以分换物)
const H5PointsPage = lazy(() => import('../../features/points/components/h5-points-page').then((m) => ({ default: m.H5PointsPage })));
const H5MallPage = lazy(() => import('../../features/points/components/h5-mall-page').then((m) => ({ default: m.H5MallPage })));
const H5RedemptionsPage = lazy(() => import('../../features/points/components/h5-redemptions-page').then((m) => ({ default: m.H5RedemptionsPage })));

const page = (node: ReactNode) => <Suspense fallback={<PageLoading />}>{node}</Suspense>;

const SUB_PAGES: H5SubPage[] = [
  { pattern: '/h5/points', title: '我的积分', parent: '/h5/me' },
  { pattern: '/h5/mall', title: '积分商城', parent: '/h5/points' },
  { pattern: '/h5/redemptions', title: '我的兑换', parent: '/h5/points' },
  { pattern: '/h5/order/new', title: '我要点单', parent: '/h5' },
  { pattern: '/h5/orders/:id', title: '工单详情', parent: '/h5/orders' },
  { pattern: '/h5/volunteer/register', title: '志愿者报到', parent: '/h5' },
  { pattern: '/h5/volunteer', title: '我的志愿', parent: '/h5/me' },
  { pattern: '/h5/activities/:id', title: '活动详情', parent: '/h5/activities' },
  { pattern: '/h5/checkin/:id', title: '扫码签到', parent: '/h5/activities' },
  { pattern: '/h5/pairing/tasks/:id', title: '探访任务', parent: '/h5/pairing' },
  { pattern: '/h5/pairing', title: '结对帮扶', parent: '/h5/me' },
  { pattern: '/h5/training/checkin/:id', title: '培训签到', parent: '/h5/training' },
  { pattern: '/h5/training', title: '志愿培训', parent: '/h5/me' },
  { pattern: '/h5/honours', title: '评选表彰', parent: '/h5/me' },
  { pattern: '/h5/news', title: '资讯', parent: '/h5' },
  { pattern: '/h5/news/:id', title: '正文', parent: '/h5/news' },
  { pattern: '/h5/resources', title: '场馆预约', parent: '/h5' },
  { pattern: '/h5/resources/:id', title: '资源详情', parent: '/h5/resources' },
  { pattern: '/h5/bookings', title: '我的预约', parent: '/h5/me' },
  { pattern: '/h5/me/notices', title: '消息设置', parent: '/h5/me' },
  { pattern: '/h5/organisations', title: '我的组织', parent: '/h5/me' },
];

/**
 * 任务 is for whoever has work sent to them: volunteers, department officers, and team leaders
 * (who may not be volunteers themselves: asked once, from the assigned list).
 */
function useHasTasks(me: MeDto): boolean {
  const obvious = !!me.volunteerId || me.roles.some((r) => r.role === 'dept_officer');
  const led = useQuery({
    queryKey: ['orders', 'assigned-probe', me.id],
    queryFn: () => api<{ items: unknown[] }>('/orders', { query: { assigned: 'true', limit: 1 } }),
    enabled: !obvious,
    staleTime: 5 * 60_000,
  });
  return obvious || (led.data?.items.length ?? 0) > 0;
}

function H5Routes({ me }: { me: MeDto }) {
  const hasTasks = useHasTasks(me);
  const tabs: H5Tab[] = [
    { to: '/h5', label: '首页', icon: <HomeOutlined />, activeIcon: <HomeFilled />, title: PRODUCT_NAME },
    { to: '/h5/activities', label: '活动', icon: <FlagOutlined />, activeIcon: <FlagFilled />, title: '志愿活动' },
    { to: '/h5/orders', label: '服务', icon: <FileTextOutlined />, activeIcon: <FileTextFilled />, title: '我的工单' },
    ...(hasTasks ? [{ to: '/h5/tasks', label: '任务', icon: <CarryOutOutlined />, activeIcon: <CarryOutFilled />, title: '我的任务' }] : []),
    { to: '/h5/me', label: '我的', icon: <UserOutlined />, activeIcon: <UserOutlined />, title: '我的' },
  ];
  const bell = (
    <NotificationBell
      variant="h5"
      hrefOf={(n) =>
        n.refType === 'order' && n.refId
          ? `/h5/orders/${n.refId}`
          : n.refType === 'service_record'
            ? '/h5/volunteer'
            : n.refType === 'activity' && n.refId
              ? `/h5/activities/${n.refId}`
              : n.refType === 'booking'
                ? '/h5/bookings'
                : n.refType === 'pairing_task' && n.refId
                  ? `/h5/pairing/tasks/${n.refId}`
                  : n.refType === 'pairing_plan'
                    ? '/h5/pairing'
                    : n.refType === 'join_request'
                      ? '/h5/organisations'
                      : null
      }
    />
  );
  return (
    <Routes>
      <Route element={<H5Layout tabs={tabs} subPages={SUB_PAGES} topRight={bell} />}>
        <Route
          index
          element={
            <H5HomePage
              me={me}
              serviceMenu={(orgId) => <ServiceMenuCards orgId={orgId} />}
              news={(orgId) => (
                <Suspense fallback={null}>
                  <H5HomeNews orgId={orgId} />
                </Suspense>
              )}
              upcoming={(c) => (
                <Suspense fallback={null}>
                  <H5HomeActivities community={c} />
                </Suspense>
              )}
            />
          }
        />
        <Route path="me" element={<H5MePage me={me} />} />
        <Route path="order/new" element={page(<H5OrderNewPage me={me} />)} />
        <Route path="orders" element={page(<H5OrdersPage />)} />
        <Route path="orders/:id" element={page(<H5OrderDetailPage me={me} />)} />
        <Route path="tasks" element={page(<H5TasksPage />)} />
        <Route path="volunteer" element={page(<H5VolunteerPage me={me} />)} />
        <Route path="volunteer/register" element={page(<H5VolunteerRegisterPage me={me} />)} />
        <Route path="activities" element={page(<H5ActivitiesPage me={me} />)} />
        <Route path="activities/:id" element={page(<H5ActivityDetailPage me={me} />)} />
        <Route path="checkin/:id" element={page(<H5CheckinPage />)} />
        <Route path="points" element={page(<H5PointsPage />)} />
        <Route path="mall" element={page(<H5MallPage />)} />
        <Route path="redemptions" element={page(<H5RedemptionsPage />)} />
        <Route path="pairing" element={page(<H5PairingTasksPage />)} />
        <Route path="pairing/tasks/:id" element={page(<H5PairingTaskPage me={me} />)} />
        <Route path="training" element={page(<H5TrainingPage me={me} />)} />
        <Route path="training/checkin/:id" element={page(<H5TrainingCheckinPage />)} />
        <Route path="honours" element={page(<H5HonoursPage />)} />
        <Route path="news" element={page(<H5NewsPage me={me} />)} />
        <Route path="news/:id" element={page(<H5NewsDetailPage />)} />
        <Route path="resources" element={page(<H5ResourcesPage me={me} />)} />
        <Route path="resources/:id" element={page(<H5ResourceDetailPage me={me} />)} />
        <Route path="bookings" element={page(<H5BookingsPage />)} />
        <Route path="me/notices" element={page(<H5NoticeSettingsPage />)} />
        <Route path="organisations" element={page(<H5MyOrganisationsPage me={me} />)} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** Pages a visitor reads without signing in (a 公众号 menu link): news and activities, their lists and their pages (issue 17). */
const PUBLIC_PAGES = ['/h5/news', '/h5/news/:id', '/h5/activities', '/h5/activities/:id'];

/** Who reads a public page without an account: no id, no role; an action (报名) sends them to sign in. */
const VISITOR: MeDto = { id: '', name: '访客', phone: '', roles: [], ledTeams: [], homeOrgId: null };

function H5VisitorRoutes() {
  const { pathname } = useLocation();
  const tabs: H5Tab[] = [
    { to: '/h5/activities', label: '活动', icon: <FlagOutlined />, activeIcon: <FlagFilled />, title: '志愿活动' },
    { to: '/h5/news', label: '资讯', icon: <FileTextOutlined />, activeIcon: <FileTextFilled />, title: '资讯' },
    { to: `/login?redirect=${encodeURIComponent(pathname)}`, label: '登录', icon: <UserOutlined />, activeIcon: <UserOutlined />, title: '登录' },
  ];
  const signIn = (
    <Link className="h5-visitor-login" to={`/login?redirect=${encodeURIComponent(pathname)}`} data-testid="visitor-login">
      登录
    </Link>
  );
  return (
    <Routes>
      <Route element={<H5Layout tabs={tabs} subPages={SUB_PAGES} topRight={signIn} />}>
        <Route path="activities" element={page(<H5ActivitiesPage me={VISITOR} />)} />
        <Route path="activities/:id" element={page(<H5ActivityDetailPage me={VISITOR} />)} />
        <Route path="news" element={page(<H5NewsPage me={VISITOR} />)} />
        <Route path="news/:id" element={page(<H5NewsDetailPage />)} />
      </Route>
    </Routes>
  );
}

/** The phone pages for residents and volunteers, at /h5/*; news and activities also for visitors who have not signed in. */
export default function H5App() {
  const me = useMe();
  const { pathname } = useLocation();
  const visitor = !me.isPending && !me.isError && !me.data && PUBLIC_PAGES.some((p) => matchPath(p, pathname));
  if (visitor) return <H5VisitorRoutes />;
  return <RequireSignedIn>{(m) => <H5Routes me={m} />}</RequireSignedIn>;
}

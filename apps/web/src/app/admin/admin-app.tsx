import { lazy } from 'react';
import { Button, Result } from 'antd';
import { Link, Navigate, Route, Routes } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { canManage, isAdmin, isDeptOfficer, isLeaderOnly, isStaff } from '../../lib/session';
import { PageLoading } from '../../components/page-loading';
import { RequireSignedIn } from '../guards';
import { AdminLayout, ORGANISATION_ADMIN_MENU } from './admin-layout';
import { useMyOrganisations } from '../../features/organisations';

const OrgsPage = lazy(() => import('../../features/orgs/components/orgs-page').then((m) => ({ default: m.OrgsPage })));
const OrgDepartmentsPanel = lazy(() => import('../../features/departments/components/org-departments-panel').then((m) => ({ default: m.OrgDepartmentsPanel })));
const UsersPage = lazy(() => import('../../features/users/components/users-page').then((m) => ({ default: m.UsersPage })));
const DepartmentsPage = lazy(() => import('../../features/departments/components/departments-page').then((m) => ({ default: m.DepartmentsPage })));
const CategoriesPage = lazy(() => import('../../features/catalogues/components/categories-page').then((m) => ({ default: m.CategoriesPage })));
const DispatchPage = lazy(() => import('../../features/orders/components/dispatch-page').then((m) => ({ default: m.DispatchPage })));
const DeptWorkPage = lazy(() => import('../../features/orders/components/dept-work-page').then((m) => ({ default: m.DeptWorkPage })));
const AdminOrderPage = lazy(() => import('../../features/orders/components/admin-order-page').then((m) => ({ default: m.AdminOrderPage })));
const VolunteersPage = lazy(() => import('../../features/volunteers/components/volunteers-page').then((m) => ({ default: m.VolunteersPage })));
const PartyUnitsPage = lazy(() => import('../../features/volunteers/components/party-units-page').then((m) => ({ default: m.PartyUnitsPage })));
const RecordsPage = lazy(() => import('../../features/volunteers/components/records-page').then((m) => ({ default: m.RecordsPage })));
const TeamsPage = lazy(() => import('../../features/teams/components/teams-page').then((m) => ({ default: m.TeamsPage })));
const WorkbenchPage = lazy(() => import('../../features/workbench').then((m) => ({ default: m.WorkbenchPage })));
const OrganisationsPage = lazy(() => import('../../features/organisations/components/organisations-page').then((m) => ({ default: m.OrganisationsPage })));
const JoinRequestsPage = lazy(() => import('../../features/organisations/components/organisations-page').then((m) => ({ default: m.JoinRequestsPage })));
const ServiceItemsPage = lazy(() => import('../../features/service-items/components/service-items-page').then((m) => ({ default: m.ServiceItemsPage })));
const AuditPage = lazy(() => import('../../features/audit/components/audit-page').then((m) => ({ default: m.AuditPage })));
const MessageLogPage = lazy(() => import('../../features/notifications/components/message-log-page').then((m) => ({ default: m.MessageLogPage })));
const AdminActivitiesPage = lazy(() => import('../../features/activities/components/admin-activities-page').then((m) => ({ default: m.AdminActivitiesPage })));
const AdminActivityEditor = lazy(() => import('../../features/activities/components/admin-activity-editor').then((m) => ({ default: m.AdminActivityEditor })));
const AdminActivityPage = lazy(() => import('../../features/activities/components/admin-activity-page').then((m) => ({ default: m.AdminActivityPage })));
const AdminActivityEditPage = lazy(() =>
  import('../../features/activities/components/admin-activity-editor').then((m) => ({ default: m.AdminActivityEditPage })),
);
const EvaluationsPage = lazy(() => import('../../features/evaluation/components/evaluations-page').then((m) => ({ default: m.EvaluationsPage })));
const ScorecardPage = lazy(() => import('../../features/evaluation/components/scorecard-page').then((m) => ({ default: m.ScorecardPage })));
const IndicatorsPage = lazy(() => import('../../features/evaluation/components/indicators-page').then((m) => ({ default: m.IndicatorsPage })));
const AdminContentsPage = lazy(() => import('../../features/content/components/admin-contents-page').then((m) => ({ default: m.AdminContentsPage })));
const AdminContentEditor = lazy(() => import('../../features/content/components/admin-content-editor').then((m) => ({ default: m.AdminContentEditor })));
const AdminResourcesPage = lazy(() => import('../../features/resources/components/admin-resources-page').then((m) => ({ default: m.AdminResourcesPage })));
const AdminResourceEditor = lazy(() => import('../../features/resources/components/admin-resource-editor').then((m) => ({ default: m.AdminResourceEditor })));
const AdminBookingsCalendar = lazy(() =>
  import('../../features/resources/components/admin-bookings-calendar').then((m) => ({ default: m.AdminBookingsCalendar })),
);
const AdminUtilizationPage = lazy(() =>
  import('../../features/resources/components/admin-utilization-page').then((m) => ({ default: m.AdminUtilizationPage })),
);
const AdminStatsPage = lazy(() => import('../../features/stats/components/admin-stats-page').then((m) => ({ default: m.AdminStatsPage })));
const AdminPairingPlansPage = lazy(() =>
  import('../../features/pairing/components/admin-pairing-plans-page').then((m) => ({ default: m.AdminPairingPlansPage })),
);
const AdminPairingPlanEditor = lazy(() =>
  import('../../features/pairing/components/admin-pairing-plan-editor').then((m) => ({ default: m.AdminPairingPlanEditor })),
);
const AdminPairingPlanPage = lazy(() => import('../../features/pairing/components/admin-pairing-plan-page').then((m) => ({ default: m.AdminPairingPlanPage })));
const AdminTrainingPage = lazy(() => import('../../features/training').then((m) => ({ default: m.AdminTrainingPage })));
const AdminHonoursPage = lazy(() => import('../../features/honours').then((m) => ({ default: m.AdminHonoursPage })));

// 爱心超市 (points and the love supermarket)
const AdminFulfilPage = lazy(() => import('../../features/points/components/admin-fulfil-page').then((m) => ({ default: m.AdminFulfilPage })));
const AdminRewardsPage = lazy(() => import('../../features/points/components/admin-rewards-page').then((m) => ({ default: m.AdminRewardsPage })));
const AdminRedemptionsPage = lazy(() => import('../../features/points/components/admin-redemptions-page').then((m) => ({ default: m.AdminRedemptionsPage })));
const AdminAdjustmentsPage = lazy(() => import('../../features/points/components/admin-adjustments-page').then((m) => ({ default: m.AdminAdjustmentsPage })));
const AdminRulesPage = lazy(() => import('../../features/points/components/admin-rules-page').then((m) => ({ default: m.AdminRulesPage })));
const AdminReportPage = lazy(() => import('../../features/points/components/admin-report-page').then((m) => ({ default: m.AdminReportPage })));

function Forbidden({ title }: { title: string }) {
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle={title}
      extra={
        <Link to="/admin">
          <Button type="primary">返回管理后台首页</Button>
        </Link>
      }
    />
  );
}

const notFound = (
  <Result
    status="404"
    title="页面不存在"
    subTitle="您访问的管理页面不存在。"
    extra={
      <Link to="/admin">
        <Button type="primary">返回管理后台首页</Button>
      </Link>
    }
  />
);

/**
 * The console's index redirects to a page whose chunk is still to load. Navigations run in a
 * transition, during which React keeps what is on screen rather than show a Suspense fallback:
 * the redirecting route itself shows 加载中… so that what is kept is not an empty page.
 */
function RedirectTo({ to }: { to: string }) {
  return (
    <>
      <Navigate to={to} replace />
      <PageLoading />
    </>
  );
}

/** 队长 without a staff role: their teams' activities and their members' service hours, nothing else. */
function LeaderRoutes({ me }: { me: MeDto }) {
  return (
    <Routes>
      <Route element={<AdminLayout me={me} />}>
        <Route index element={<RedirectTo to="workbench" />} />
        <Route path="workbench" element={<WorkbenchPage me={me} />} />
        <Route path="activities" element={<AdminActivitiesPage me={me} />} />
        <Route path="activities/new" element={<AdminActivityEditor />} />
        <Route path="activities/:id" element={<AdminActivityPage />} />
        <Route path="activities/:id/edit" element={<AdminActivityEditPage />} />
        <Route path="join-requests" element={<JoinRequestsPage />} />
        <Route path="organisations" element={<OrganisationsPage canCreate={false} />} />
        <Route path="records" element={<RecordsPage />} />
        <Route path="*" element={<Forbidden title="队长可以使用活动管理和时长审核；其他管理页面供阵地工作人员使用。" />} />
      </Route>
    </Routes>
  );
}

/** 职能部门专员 without a staff role: their department's work page and the orders on it. */
function DeptRoutes({ me }: { me: MeDto }) {
  return (
    <Routes>
      <Route element={<AdminLayout me={me} />}>
        <Route index element={<RedirectTo to="workbench" />} />
        <Route path="workbench" element={<WorkbenchPage me={me} />} />
        <Route path="dept-work" element={<DeptWorkPage me={me} />} />
        <Route path="orders/:id" element={<AdminOrderPage />} />
        <Route path="*" element={<Forbidden title="职能部门专员可以使用部门工作台；其他管理页面供阵地工作人员使用。" />} />
      </Route>
    </Routes>
  );
}

/** 组织管理员 (of a volunteer organisation) without a staff role: their organisations and join requests; anyone else: 403. */
function OrganisationAdminRoutes({ me }: { me: MeDto }) {
  const mine = useMyOrganisations();
  if (mine.isPending) return <PageLoading />;
  if (!mine.data?.administered.length)
    return (
      <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
        <Result
          status="403"
          title="您没有管理后台的权限"
          subTitle="管理后台供阵地管理员、调度员、志愿服务队队长和志愿服务组织管理员使用。如需开通，请联系所在实践中心的管理员。"
          extra={
            <Link to="/h5">
              <Button type="primary">前往居民端</Button>
            </Link>
          }
        />
      </div>
    );
  return (
    <Routes>
      <Route element={<AdminLayout me={me} menu={ORGANISATION_ADMIN_MENU} />}>
        <Route index element={<RedirectTo to="organisations" />} />
        <Route path="organisations" element={<OrganisationsPage canCreate={false} />} />
        <Route path="join-requests" element={<JoinRequestsPage />} />
        <Route path="*" element={<Forbidden title="组织管理员可以管理本组织和审核加入申请；其他管理页面供阵地工作人员使用。" />} />
      </Route>
    </Routes>
  );
}

function AdminRoutes({ me }: { me: MeDto }) {
  if (isLeaderOnly(me)) return <LeaderRoutes me={me} />;
  if (!isStaff(me) && isDeptOfficer(me)) return <DeptRoutes me={me} />;
  if (!isStaff(me)) return <OrganisationAdminRoutes me={me} />;
  return (
    <Routes>
      <Route element={<AdminLayout me={me} />}>
        <Route index element={<RedirectTo to="workbench" />} />
        <Route path="workbench" element={<WorkbenchPage me={me} />} />
        <Route path="dispatch" element={<DispatchPage isAdmin={isAdmin(me)} />} />
        {isDeptOfficer(me) && <Route path="dept-work" element={<DeptWorkPage me={me} />} />}
        <Route path="orders/:id" element={<AdminOrderPage />} />
        <Route path="activities" element={<AdminActivitiesPage me={me} />} />
        <Route path="activities/new" element={<AdminActivityEditor />} />
        <Route path="activities/:id" element={<AdminActivityPage />} />
        <Route path="activities/:id/edit" element={<AdminActivityEditPage />} />
        <Route path="pairing" element={<AdminPairingPlansPage me={me} />} />
        <Route path="pairing/new" element={<AdminPairingPlanEditor />} />
        <Route path="pairing/:id" element={<AdminPairingPlanPage />} />
        <Route path="pairing/:id/edit" element={<AdminPairingPlanEditor />} />
        <Route path="training" element={<AdminTrainingPage me={me} />} />
        <Route path="honours" element={<AdminHonoursPage me={me} />} />
        <Route path="evaluation" element={<EvaluationsPage me={me} />} />
        <Route path="evaluation/sites/:orgId" element={<ScorecardPage />} />
        <Route path="indicators" element={<IndicatorsPage me={me} />} />
        <Route path="contents" element={<AdminContentsPage />} />
        <Route path="contents/:id" element={<AdminContentEditor />} />
        <Route path="resources" element={<AdminResourcesPage me={me} />} />
        <Route path="resources/new" element={canManage(me) ? <AdminResourceEditor /> : <Forbidden title="登记资源需要阵地管理员权限。" />} />
        <Route path="resources/:id/edit" element={<AdminResourceEditor />} />
        <Route path="bookings" element={<AdminBookingsCalendar me={me} />} />
        <Route path="resources-utilization" element={<AdminUtilizationPage me={me} />} />
        <Route path="stats" element={<AdminStatsPage />} />
        <Route path="volunteers" element={<VolunteersPage />} />
        <Route path="party-units" element={<PartyUnitsPage />} />
        <Route path="teams" element={<TeamsPage canCreate={canManage(me)} />} />
        <Route path="organisations" element={<OrganisationsPage canCreate={canManage(me)} />} />
        <Route path="join-requests" element={<JoinRequestsPage />} />
        <Route path="records" element={<RecordsPage />} />
        <Route path="service-items" element={<ServiceItemsPage canManage={canManage(me)} />} />
        <Route path="orgs" element={<OrgsPage renderDepartments={(p) => <OrgDepartmentsPanel {...p} />} />} />
        <Route path="users" element={canManage(me) ? <UsersPage isAdmin={isAdmin(me)} /> : <Forbidden title="用户与角色仅对超级管理员和阵地管理员开放。" />} />
        <Route path="departments" element={<DepartmentsPage canCreate={canManage(me)} />} />
        <Route path="categories" element={isAdmin(me) ? <CategoriesPage /> : <Forbidden title="服务类别由系统管理员维护。" />} />
        <Route path="points/fulfil" element={<AdminFulfilPage />} />
        <Route path="points/rewards" element={<AdminRewardsPage canManage={canManage(me)} />} />
        <Route path="points/redemptions" element={<AdminRedemptionsPage />} />
        <Route path="points/adjustments" element={<AdminAdjustmentsPage canManage={canManage(me)} />} />
        <Route path="points/rules" element={<AdminRulesPage me={me} />} />
        <Route path="points/report" element={<AdminReportPage me={me} />} />
        <Route path="audit" element={canManage(me) ? <AuditPage /> : <Forbidden title="操作日志仅对管理员开放。" />} />
        <Route path="messages" element={canManage(me) ? <MessageLogPage /> : <Forbidden title="消息记录仅对管理员开放。" />} />
        <Route path="*" element={notFound} />
      </Route>
    </Routes>
  );
}

/** The admin console (PC) at /admin/*. */
export default function AdminApp() {
  return <RequireSignedIn>{(me) => <AdminRoutes me={me} />}</RequireSignedIn>;
}

import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';
import { NotFoundPage } from '../components/not-found-page';
import { PageLoading } from '../components/page-loading';
import { RequireSignedIn, RootRedirect } from './guards';
import { RouteError } from './route-error';

// Each face of the app is its own chunk: sign-in, the admin console (PC), the H5 pages (phone).
const LoginPage = lazy(() => import('../features/auth/components/login-page').then((m) => ({ default: m.LoginPage })));
const ActivatePage = lazy(() => import('../features/auth/components/activate-page').then((m) => ({ default: m.ActivatePage })));
const RegisterPage = lazy(() => import('../features/auth/components/register-page').then((m) => ({ default: m.RegisterPage })));
const ResetPasswordPage = lazy(() => import('../features/auth/components/reset-password-page').then((m) => ({ default: m.ResetPasswordPage })));
// 用户协议 and 隐私政策: public, linked from the sign-in consent.
const TermsPage = lazy(() => import('../features/auth/components/legal-pages').then((m) => ({ default: m.TermsPage })));
const PrivacyPage = lazy(() => import('../features/auth/components/legal-pages').then((m) => ({ default: m.PrivacyPage })));
const AdminApp = lazy(() => import('./admin/admin-app'));
const H5App = lazy(() => import('./h5/h5-app'));
// 志愿服务证明: the printable page and the public verification page stand outside both frames.
const CertificatePage = lazy(() => import('../features/certificates/components/certificate-page').then((m) => ({ default: m.CertificatePage })));
const VerifyPage = lazy(() => import('../features/certificates/components/verify-page').then((m) => ({ default: m.VerifyPage })));
const H5CertificatesPage = lazy(() => import('../features/certificates/components/h5-certificates-page').then((m) => ({ default: m.H5CertificatesPage })));
// 活动签到大屏 (projector / tablet): full screen, outside both frames.
const CheckinScreenPage = lazy(() => import('../features/activities/components/checkin-screen-page').then((m) => ({ default: m.CheckinScreenPage })));
// 指挥调度大屏 (wall screen, 1920×1080): full screen, outside both frames; its own chunk with ECharts.
const ScreenDashboardPage = lazy(() => import('../features/stats/components/screen-dashboard-page').then((m) => ({ default: m.ScreenDashboardPage })));

const page = (node: ReactNode) => <Suspense fallback={<PageLoading />}>{node}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <Outlet />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <RootRedirect /> },
      { path: '/login', element: page(<LoginPage />) },
      { path: '/register', element: page(<RegisterPage />) },
      { path: '/activate', element: page(<ActivatePage />) },
      { path: '/reset-password', element: page(<ResetPasswordPage />) },
      { path: '/terms', element: page(<TermsPage />) },
      { path: '/privacy', element: page(<PrivacyPage />) },
      { path: '/admin/*', element: page(<AdminApp />) },
      { path: '/h5/*', element: page(<H5App />) },
      { path: '/h5/volunteer/certificate', element: page(<RequireSignedIn>{() => <H5CertificatesPage />}</RequireSignedIn>) },
      { path: '/certificate/:serial', element: page(<RequireSignedIn>{() => <CertificatePage />}</RequireSignedIn>) },
      { path: '/verify/:serial', element: page(<VerifyPage />) },
      { path: '/screen/checkin/:id', element: page(<RequireSignedIn>{() => <CheckinScreenPage />}</RequireSignedIn>) },
      { path: '/screen/dashboard', element: page(<RequireSignedIn>{() => <ScreenDashboardPage />}</RequireSignedIn>) },
      { path: '/screen/dashboard/:orgId', element: page(<RequireSignedIn>{() => <ScreenDashboardPage />}</RequireSignedIn>) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

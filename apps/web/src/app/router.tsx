import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';
import { NotFoundPage } from '../components/not-found-page';
import { PageLoading } from '../components/page-loading';
import { RootRedirect } from './guards';
import { RouteError } from './route-error';

// Each face of the app is its own chunk: sign-in, the admin console (PC), the H5 pages (phone).
const LoginPage = lazy(() => import('../features/auth/components/login-page').then((m) => ({ default: m.LoginPage })));
const RegisterPage = lazy(() => import('../features/auth/components/register-page').then((m) => ({ default: m.RegisterPage })));
const AdminApp = lazy(() => import('./admin/admin-app'));
const H5App = lazy(() => import('./h5/h5-app'));

const page = (node: ReactNode) => <Suspense fallback={<PageLoading />}>{node}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <Outlet />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <RootRedirect /> },
      { path: '/login', element: page(<LoginPage />) },
      { path: '/register', element: page(<RegisterPage />) },
      { path: '/admin/*', element: page(<AdminApp />) },
      { path: '/h5/*', element: page(<H5App />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

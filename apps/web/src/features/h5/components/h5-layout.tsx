import type { ReactNode } from 'react';
import { HomeOutlined, HomeFilled, UserOutlined } from '@ant-design/icons';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { BrandMark, PRODUCT_NAME } from '../../../components/brand';
import './h5.css';

interface Tab {
  to: string;
  label: string;
  icon: ReactNode;
  activeIcon: ReactNode;
  title: string;
}

/** Only tabs with working pages are shown. */
const TABS: Tab[] = [
  { to: '/h5', label: '首页', icon: <HomeOutlined />, activeIcon: <HomeFilled />, title: PRODUCT_NAME },
  { to: '/h5/me', label: '我的', icon: <UserOutlined />, activeIcon: <UserOutlined />, title: '我的' },
];

/** The phone frame: a title bar, the page, and the bottom tab bar. */
export function H5Layout() {
  const { pathname } = useLocation();
  const current = TABS.find((t) => (t.to === '/h5' ? pathname === '/h5' || pathname === '/h5/' : pathname.startsWith(t.to))) ?? TABS[0]!;
  return (
    <div className="h5-app">
      <header className="h5-topbar">
        {current.to === '/h5' && <BrandMark size={24} />}
        <span>{current.title}</span>
      </header>
      <main className="h5-main">
        <Outlet />
      </main>
      <nav className="h5-tabbar" aria-label="底部导航">
        {TABS.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.to === '/h5'} className={({ isActive }) => `h5-tab${isActive ? ' active' : ''}`} data-testid={`tab-${t.label}`}>
            {({ isActive }) => (
              <>
                <span className="h5-tab-icon">{isActive ? t.activeIcon : t.icon}</span>
                <span className="h5-tab-label">{t.label}</span>
              </>
            )}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

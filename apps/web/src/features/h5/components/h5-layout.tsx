import type { ReactNode } from 'react';
import { LeftOutlined } from '@ant-design/icons';
import { matchPath, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { BrandMark } from '../../../components/brand';
import './h5.css';

export interface H5Tab {
  to: string;
  label: string;
  icon: ReactNode;
  activeIcon: ReactNode;
  title: string;
}

export interface H5SubPage {
  /** A route pattern, e.g. `/h5/orders/:id`. */
  pattern: string;
  title: string;
  /** Where 返回 goes when there is no page to go back to. */
  parent: string;
}

/** The phone frame: a title bar (with 返回 on inner pages), the page, and the bottom tab bar. */
export function H5Layout({ tabs, subPages, topRight }: { tabs: H5Tab[]; subPages: H5SubPage[]; topRight?: ReactNode }) {
  const { pathname, key } = useLocation();
  const navigate = useNavigate();
  const sub = subPages.find((p) => matchPath(p.pattern, pathname));
  const tab = tabs.find((t) => (t.to === '/h5' ? pathname === '/h5' || pathname === '/h5/' : pathname === t.to || pathname.startsWith(`${t.to}/`))) ?? tabs[0]!;
  const back = () => {
    // The first page of this visit (opened from a link or a notice): go to the parent page.
    if (key === 'default' || window.history.length <= 1) navigate(sub!.parent, { replace: true });
    else navigate(-1);
  };
  return (
    <div className="h5-app">
      <header className="h5-topbar">
        {sub ? (
          <button type="button" className="h5-topbar-back" onClick={back} aria-label="返回" data-testid="h5-back">
            <LeftOutlined />
          </button>
        ) : (
          tab.to === '/h5' && <BrandMark size={24} />
        )}
        <span className="h5-topbar-title">{sub ? sub.title : tab.title}</span>
        {topRight && <span className="h5-topbar-right">{topRight}</span>}
      </header>
      <main className="h5-main">
        <Outlet />
      </main>
      <nav className="h5-tabbar" aria-label="底部导航">
        {tabs.map((t) => (
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

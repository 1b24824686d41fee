import type { ReactNode } from 'react';
import { Typography } from 'antd';
import { BrandMark, PRODUCT_NAME } from '../../../components/brand';
import './auth.css';

/** The frame of the sign-in pages: a brand panel beside the form on a PC, above it on a phone. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <aside className="auth-brand">
        <div className="auth-brand-inner">
          <div className="auth-brand-logo">
            <BrandMark size={44} />
            <span>{PRODUCT_NAME}</span>
          </div>
          <p className="auth-brand-title">新时代文明实践中心数字平台</p>
          <p className="auth-brand-text">群众点单 · 中心派单 · 志愿者接单 · 群众评单</p>
        </div>
      </aside>
      <main className="auth-main">
        <div className="auth-card">
          <div className="auth-mobile-logo">
            <BrandMark size={36} />
            <span>{PRODUCT_NAME}</span>
          </div>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
            {title}
          </Typography.Title>
          {subtitle && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subtitle}
            </Typography.Paragraph>
          )}
          {children}
        </div>
      </main>
    </div>
  );
}

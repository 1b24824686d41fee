import type { ReactNode } from 'react';
import {
  AppstoreOutlined,
  ClearOutlined,
  CustomerServiceOutlined,
  ExperimentOutlined,
  GiftOutlined,
  MedicineBoxOutlined,
  NotificationOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { Skeleton } from 'antd';
import { QueryError } from '../../../components/query-error';
import { useNavigate } from 'react-router-dom';
import { useCategories } from '../../../lib/categories';

const ICONS: Record<string, { icon: ReactNode; color: string; bg: string }> = {
  theory: { icon: <NotificationOutlined />, color: '#c8102e', bg: '#fff1f0' },
  culture: { icon: <CustomerServiceOutlined />, color: '#d4380d', bg: '#fff2e8' },
  education: { icon: <ReadOutlined />, color: '#1677ff', bg: '#e6f4ff' },
  health: { icon: <MedicineBoxOutlined />, color: '#08979c', bg: '#e6fffb' },
  science: { icon: <ExperimentOutlined />, color: '#531dab', bg: '#f9f0ff' },
  legal: { icon: <SafetyCertificateOutlined />, color: '#0958d9', bg: '#f0f5ff' },
  environment: { icon: <ClearOutlined />, color: '#389e0d', bg: '#f6ffed' },
  poverty: { icon: <GiftOutlined />, color: '#d48806', bg: '#fffbe6' },
};
const OTHER = { icon: <AppstoreOutlined />, color: '#595959', bg: '#f5f5f5' };

/** 服务类别: the "8+N" service menu; a tap opens 点单 with that category chosen. */
export function CategoryGrid() {
  const q = useCategories();
  const navigate = useNavigate();
  if (q.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <ul className="h5-category-grid" data-testid="category-grid">
      {q.data.map((c) => {
        const look = ICONS[c.code] ?? OTHER;
        return (
          <li key={c.code}>
            <button
              type="button"
              className="h5-category"
              onClick={() => navigate(`/h5/order/new?category=${encodeURIComponent(c.code)}`)}
              data-testid={`category-${c.code}`}
            >
              <span className="h5-category-icon" style={{ color: look.color, background: look.bg }} aria-hidden="true">
                {look.icon}
              </span>
              <span className="h5-category-name">{c.name}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

import { Empty, Skeleton } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useCategoryName } from '../../../lib/categories';
import { QueryError } from '../../../components/query-error';
import { useServiceMenu } from '../api/service-items-api';
import './service-items.css';

/** 服务菜单 (菜篮子) of my community, as cards; a tap opens 点单 with the item chosen. */
export function ServiceMenuCards({ orgId }: { orgId: string }) {
  const q = useServiceMenu(orgId);
  const navigate = useNavigate();
  const categoryName = useCategoryName();
  if (q.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.filter((i) => i.status === 'active');
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本社区暂未发布服务项目，可直接点单" />;
  return (
    <ul className="h5-menu-cards" data-testid="service-menu">
      {items.map((i) => (
        <li key={i.id}>
          <button
            type="button"
            className="h5-menu-card"
            onClick={() => navigate(`/h5/order/new?item=${i.id}&category=${encodeURIComponent(i.category)}`)}
            data-testid="service-item"
          >
            <span className="h5-menu-card-text">
              <span className="h5-menu-card-name">{i.name}</span>
              {i.description && <span className="h5-menu-card-desc">{i.description}</span>}
              <span className="h5-menu-card-meta">
                {categoryName(i.category)} · {i.orgName.replace(/新时代文明实践(中心|所|站)$/, '')}
              </span>
            </span>
            <span className="h5-menu-card-go">
              点单 <RightOutlined />
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

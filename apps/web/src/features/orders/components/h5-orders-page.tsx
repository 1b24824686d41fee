import { useState } from 'react';
import { Segmented } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { H5PagedList } from '../../../components/h5-paged-list';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrders } from '../api/orders-api';
import { H5OrderCard } from './h5-order-card';
import './orders.css';

const FILTERS = {
  all: { label: '全部', state: undefined },
  open: { label: '办理中', state: 'submitted,dispatched,accepted,in_service,forwarded' },
  rate: { label: '待评价', state: 'completed,resolved' },
  done: { label: '已结束', state: 'rated,cancelled,rejected' },
} as const;
type Filter = keyof typeof FILTERS;

/** 我的工单: what I asked for and how far it has got. */
export function H5OrdersPage() {
  useDocumentTitle('我的工单');
  const [filter, setFilter] = useState<Filter>('all');
  const q = useOrders({ mine: true, state: FILTERS[filter].state }, { limit: 20 });
  return (
    <div className="h5-page">
      <Link to="/h5/order/new" className="h5-order-cta" data-testid="order-cta">
        <span className="h5-order-cta-icon">
          <PlusOutlined />
        </span>
        <span>
          <b>我要点单</b>
          <small>有困难、有需求，说给我们听</small>
        </span>
      </Link>
      <Segmented
        block
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        options={Object.entries(FILTERS).map(([value, f]) => ({ value, label: f.label }))}
        className="h5-segmented"
      />
      <H5PagedList query={q} empty={filter === 'all' ? '您还没有点过单' : '没有这类工单'} renderItem={(o) => <H5OrderCard order={o} />} />
    </div>
  );
}

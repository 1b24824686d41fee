import type { ReactNode } from 'react';
import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../lib/format';
import type { OrderDto } from '../api/orders-api';
import { OrderStateTag, UrgencyTag } from './order-tags';

/** One order in a phone list: code, state, what was asked, when; `footer` adds actions. */
export function H5OrderCard({ order, footer, extra }: { order: OrderDto; footer?: ReactNode; extra?: ReactNode }) {
  return (
    <article className="h5-card h5-order-card" data-testid="order-card" data-code={order.code}>
      <Link to={`/h5/orders/${order.id}`} className="h5-order-card-link">
        <div className="h5-order-card-head">
          <span className="h5-order-card-code">{order.code}</span>
          <span className="h5-order-card-tags">
            {order.urgency !== 'normal' && <UrgencyTag urgency={order.urgency} />}
            <OrderStateTag state={order.state} />
          </span>
        </div>
        <div className="h5-order-card-content">{order.title ? `【${order.title}】${order.content}` : order.content}</div>
        <div className="h5-order-card-meta">
          <span>{formatDateTime(order.createdAt)}</span>
          <span className="h5-order-card-org">{order.orgName}</span>
          <RightOutlined />
        </div>
      </Link>
      {extra}
      {footer}
    </article>
  );
}

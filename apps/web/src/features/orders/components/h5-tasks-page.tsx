import { useState } from 'react';
import { Segmented } from 'antd';
import { EnvironmentOutlined, PhoneOutlined } from '@ant-design/icons';
import { H5PagedList } from '../../../components/h5-paged-list';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrders, type OrderDto } from '../api/orders-api';
import { H5OrderActions } from './h5-order-actions';
import { H5OrderCard } from './h5-order-card';
import { SlaCountdown } from './sla-countdown';
import './orders.css';

const FILTERS = {
  todo: { label: '待处理', state: 'dispatched,accepted,in_service,forwarded' },
  done: { label: '已完成', state: 'completed,rated,resolved' },
} as const;
type Filter = keyof typeof FILTERS;

function TaskFacts({ o }: { o: OrderDto }) {
  return (
    <div className="h5-task-facts">
      {o.address && (
        <div>
          <EnvironmentOutlined /> {o.address}
        </div>
      )}
      {o.preferredAt && <div>希望时间：{formatDateTime(o.preferredAt)}</div>}
      {o.requesterName && (
        <div>
          联系人：{o.requesterName}
          {o.requesterPhone && !o.requesterPhone.includes('*') && (
            <a href={`tel:${o.requesterPhone}`} className="h5-tel">
              <PhoneOutlined /> {o.requesterPhone}
            </a>
          )}
        </div>
      )}
      {o.assignee.teamName && <div>派给：{o.assignee.teamName}</div>}
      {o.state === 'dispatched' && <SlaCountdown dueAt={o.acceptDueAt} />}
    </div>
  );
}

/** 任务: orders sent to me, to teams I lead, or forwarded to my department. */
export function H5TasksPage() {
  useDocumentTitle('我的任务');
  const [filter, setFilter] = useState<Filter>('todo');
  const q = useOrders({ assigned: true, state: FILTERS[filter].state }, { limit: 30 });
  return (
    <div className="h5-page">
      <Segmented
        block
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        options={Object.entries(FILTERS).map(([value, f]) => ({ value, label: f.label }))}
        className="h5-segmented h5-segmented-top"
      />
      <H5PagedList
        query={q}
        empty={filter === 'todo' ? '暂时没有派给您的任务' : '还没有完成的任务'}
        renderItem={(o) => (
          <H5OrderCard
            order={o}
            extra={<TaskFacts o={o} />}
            footer={
              <div className="h5-task-actions">
                <H5OrderActions order={o} size="middle" />
              </div>
            }
          />
        )}
      />
    </div>
  );
}

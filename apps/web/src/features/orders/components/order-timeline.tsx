import { Timeline, Typography } from 'antd';
import { formatDateTime } from '../../../lib/format';
import type { OrderDto } from '../api/orders-api';

const COLORS: Record<string, string> = {
  submit: 'blue',
  dispatch: 'blue',
  accept: 'green',
  start: 'green',
  complete: 'green',
  resolve: 'green',
  rate: 'green',
  forward: 'purple',
  decline: 'orange',
  escalate: 'red',
  reject: 'red',
  cancel: 'gray',
  reopen: 'orange',
  retriage: 'gray',
};

const NAMES: Record<string, string> = { retriage: '修正研判' };

/** 办理进度: every step of the order, newest last, with who noted what. */
export function OrderTimeline({ order }: { order: OrderDto }) {
  const entries = order.timeline ?? [];
  if (!entries.length) return <Typography.Text type="secondary">暂无办理记录</Typography.Text>;
  return (
    <Timeline
      className="order-timeline"
      data-testid="order-timeline"
      items={entries.map((e, i) => ({
        key: `${e.at}-${i}`,
        color: COLORS[e.action] ?? 'gray',
        content: (
          <div>
            <div className="order-timeline-action">
              {NAMES[e.action] ?? e.actionName}
              <span className="order-timeline-at">{formatDateTime(e.at)}</span>
            </div>
            {e.note && <div className="order-timeline-note">{e.note}</div>}
          </div>
        ),
      }))}
    />
  );
}

import { Tag } from 'antd';
import { NATURE_NAMES, URGENCY_NAMES } from '@wenming/contracts';
import { ORDER_STATE_NAMES, type OrderState } from '@wenming/domain';
import type { Nature, Urgency } from '../api/orders-api';

const STATE_COLORS: Record<OrderState, string> = {
  submitted: 'gold',
  dispatched: 'orange',
  accepted: 'blue',
  in_service: 'processing',
  completed: 'cyan',
  rated: 'success',
  forwarded: 'purple',
  acknowledged: 'blue',
  extension_requested: 'orange',
  resolved: 'geekblue',
  cancelled: 'default',
  rejected: 'error',
};

export function OrderStateTag({ state, large }: { state: OrderState; large?: boolean }) {
  return (
    <Tag color={STATE_COLORS[state]} className={large ? 'order-tag-large' : undefined} data-testid="order-state" style={{ marginInlineEnd: 0 }}>
      {ORDER_STATE_NAMES[state]}
    </Tag>
  );
}

const URGENCY_COLORS: Record<Urgency, string> = { normal: 'default', urgent: 'orange', critical: 'red' };

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  return (
    <Tag color={URGENCY_COLORS[urgency]} style={{ marginInlineEnd: 0 }}>
      {URGENCY_NAMES[urgency]}
    </Tag>
  );
}

export function NatureTag({ nature }: { nature: Nature }) {
  const color = nature === 'complaint' ? 'magenta' : nature === 'petition' ? 'purple' : nature === 'consult' ? 'cyan' : 'blue';
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }}>
      {NATURE_NAMES[nature]}
    </Tag>
  );
}

export const STATE_NAMES = ORDER_STATE_NAMES;

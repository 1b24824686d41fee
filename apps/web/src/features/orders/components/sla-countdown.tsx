import { useEffect, useState } from 'react';
import { Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}

function span(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 1) return `${Math.max(0, Math.floor(ms / 1000))} 秒`;
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} 小时 ${m % 60} 分`;
  return `${Math.floor(h / 24)} 天 ${h % 24} 小时`;
}

/** 接单时限: the time left to accept, red once it has passed. */
export function SlaCountdown({ dueAt, active = true }: { dueAt: string; active?: boolean }) {
  const now = useNow(active ? 15_000 : 3_600_000);
  const left = new Date(dueAt).getTime() - now;
  if (!active) return null;
  if (left < 0)
    return (
      <Typography.Text type="danger" strong className="sla sla-overdue" data-testid="sla">
        <ClockCircleOutlined /> 已超时 {span(-left)}
      </Typography.Text>
    );
  return (
    <Typography.Text type={left < 30 * 60_000 ? 'warning' : 'secondary'} className="sla" data-testid="sla">
      <ClockCircleOutlined /> 剩余 {span(left)}
    </Typography.Text>
  );
}

import { Spin, Typography } from 'antd';

export function PageLoading({ tip = '加载中…' }: { tip?: string }) {
  return (
    <div
      role="status"
      style={{ minHeight: '50vh', display: 'flex', flexDirection: 'column', gap: 12, alignItems: 'center', justifyContent: 'center', padding: 48 }}
    >
      <Spin size="large" />
      <Typography.Text type="secondary">{tip}</Typography.Text>
    </div>
  );
}

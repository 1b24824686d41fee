import { Spin } from 'antd';

export function PageLoading({ tip = '加载中…' }: { tip?: string }) {
  return (
    <div style={{ minHeight: '50vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 48 }}>
      <Spin size="large" description={tip}>
        <div style={{ width: 120, height: 80 }} />
      </Spin>
    </div>
  );
}

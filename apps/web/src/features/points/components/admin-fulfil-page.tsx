import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Result, Space, Typography, type InputRef } from 'antd';
import { CheckCircleOutlined, ScanOutlined } from '@ant-design/icons';
import type { RedemptionDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { errorMessage, isApiError } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useFulfill, useRedemptionByCode } from '../api/points-api';
import { spacedCode } from './pickup-qr';
import { RedemptionStatusTag, RewardCover } from './points-format';
import './points.css';

function RedemptionPanel({ d, onDone }: { d: RedemptionDto; onDone: () => void }) {
  const { message } = App.useApp();
  const fulfil = useFulfill();
  const [done, setDone] = useState<RedemptionDto | null>(null);
  const shown = done ?? d;
  const confirm = async () => {
    try {
      setDone(await fulfil.mutateAsync({ id: d.id, pickupCode: d.pickupCode }));
      message.success('核销成功，请把奖品交给兑换人');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card data-testid="fulfil-result" data-status={shown.status}>
      {shown.status === 'fulfilled' && !done && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`该取货码已于 ${formatDateTime(shown.fulfilledAt)} 领取，不能重复核销`}
          data-testid="fulfil-stale"
        />
      )}
      {shown.status === 'cancelled' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`兑换人已于 ${formatDateTime(shown.cancelledAt)} 取消这次兑换，积分已退回，不能发放`}
          data-testid="fulfil-stale"
        />
      )}
      {done && (
        <Result
          status="success"
          icon={<CheckCircleOutlined />}
          title="已核销"
          subTitle={`${done.rewardName} × ${done.quantity}，请交给 ${done.userName ?? '兑换人'}`}
          style={{ padding: '8px 0 16px' }}
        />
      )}
      <div className="fulfil-result">
        <RewardCover reward={{ name: shown.rewardName, photoIds: shown.photoIds }} />
        <Descriptions column={2} size="middle" style={{ flex: 1 }}>
          <Descriptions.Item label="奖品" span={2}>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {shown.rewardName} × {shown.quantity}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="兑换人">{shown.userName || '—'}</Descriptions.Item>
          <Descriptions.Item label="手机号">{shown.userPhone || '—'}</Descriptions.Item>
          <Descriptions.Item label="使用积分">{shown.points}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <RedemptionStatusTag status={shown.status} />
          </Descriptions.Item>
          <Descriptions.Item label="兑换时间">{formatDateTime(shown.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="取货码">{spacedCode(shown.pickupCode)}</Descriptions.Item>
          <Descriptions.Item label="取货地点" span={2}>
            {shown.pickupOrgName}
          </Descriptions.Item>
        </Descriptions>
      </div>
      <Space style={{ marginTop: 16 }}>
        {shown.allowedActions.includes('fulfill') && !done && (
          <Button
            type="primary"
            size="large"
            icon={<CheckCircleOutlined />}
            loading={fulfil.isPending}
            onClick={() => void confirm()}
            data-testid="fulfil-confirm"
          >
            确认发放
          </Button>
        )}
        <Button size="large" onClick={onDone}>
          核销下一个
        </Button>
      </Space>
    </Card>
  );
}

/** 核销取货: type or scan the 8-digit code, see the redemption, hand it over once. */
export function AdminFulfilPage() {
  useDocumentTitle('核销取货');
  const [input, setInput] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const ref = useRef<InputRef>(null);
  const q = useRedemptionByCode(code);
  const search = () => {
    const c = input.replace(/\s+/g, '');
    if (!/^\d{8}$/.test(c)) {
      setBad(true);
      return;
    }
    setBad(false);
    setCode(c);
  };
  const reset = () => {
    setInput('');
    setCode(null);
    setTimeout(() => ref.current?.focus(), 0);
  };
  return (
    <div>
      <PageHeader title="核销取货" description="兑换人出示取货码（8位数字或二维码），扫码枪扫描或手工输入后核对奖品，确认发放。每个取货码只能核销一次。" />
      <Card style={{ marginBottom: 16 }}>
        <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
          <Input
            ref={ref}
            size="large"
            className="fulfil-code-input"
            prefix={<ScanOutlined />}
            placeholder="输入或扫描取货码"
            value={input}
            maxLength={12}
            autoFocus
            inputMode="numeric"
            status={bad ? 'error' : undefined}
            onChange={(e) => {
              setInput(e.target.value);
              setBad(false);
            }}
            onPressEnter={search}
            data-testid="fulfil-code"
          />
          <Button size="large" type="primary" onClick={search} loading={q.isFetching} data-testid="fulfil-search">
            查询
          </Button>
        </Space.Compact>
        {bad && (
          <Typography.Paragraph type="danger" style={{ margin: '8px 0 0' }}>
            取货码为8位数字
          </Typography.Paragraph>
        )}
      </Card>
      {code && q.isError && (
        <Alert
          type="error"
          showIcon
          data-testid="fulfil-notfound"
          title={
            isApiError(q.error) && q.error.status === 404 ? `取货码 ${spacedCode(code)} 不存在，或不属于您管辖的阵地，请核对后重新输入` : errorMessage(q.error)
          }
        />
      )}
      {code && q.data && q.data.map((d) => <RedemptionPanel key={`${d.id}-${code}`} d={d} onDone={reset} />)}
    </div>
  );
}

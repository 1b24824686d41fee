import { Alert, Button, Input, Modal, Space, Typography } from 'antd';
import type { ActivityDto, SignupDto } from '../api/activities-api';
import { useAttendanceEntry } from '../hooks/use-attendance-entry';
import { formatDuration } from './activity-format';

/** 补录出勤: for people who could not scan (no phone, flat battery); the reason is kept and audited. */
export function AttendanceModal({ a, signup, onClose }: { a: ActivityDto; signup: SignupDto; onClose: () => void }) {
  const f = useAttendanceEntry(a, signup, onClose);
  return (
    <Modal
      open
      title={`补录出勤：${signup.name}`}
      okText="保存"
      cancelText="取消"
      onOk={() => void f.submit()}
      onCancel={onClose}
      confirmLoading={f.saving}
      destroyOnHidden
      width={520}
    >
      <Typography.Paragraph type="secondary">用于未能扫码的人员（如没有智能手机）。补录会记入操作日志，请如实填写原因。</Typography.Paragraph>
      {f.error && <Alert type="error" showIcon title={f.error} style={{ marginBottom: 12 }} />}
      <div className="act-attendance-grid">
        <label>
          <span>签到时间</span>
          <Input type="datetime-local" value={f.checkinAt} onChange={(e) => f.setCheckinAt(e.target.value)} data-testid="attendance-checkin" />
        </label>
        <label>
          <span>签退时间</span>
          <Input type="datetime-local" value={f.checkoutAt} onChange={(e) => f.setCheckoutAt(e.target.value)} data-testid="attendance-checkout" />
        </label>
      </div>
      <Space size={8} style={{ margin: '8px 0 12px' }}>
        <Button size="small" onClick={f.fillWhole} data-testid="attendance-full">
          全程参加
        </Button>
        {Number.isFinite(f.span) && f.span >= 0 && <Typography.Text type="secondary">在场 {formatDuration(f.span)}</Typography.Text>}
      </Space>
      <label className="act-attendance-reason">
        <span>补录原因</span>
        <Input.TextArea
          value={f.reason}
          onChange={(e) => f.setReason(e.target.value)}
          maxLength={500}
          showCount
          autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder="如：老人没有智能手机，现场纸质签到表核对"
          data-testid="attendance-reason"
        />
      </label>
    </Modal>
  );
}

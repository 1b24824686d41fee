import { useState, type ReactNode } from 'react';
import { Form, Input, Modal, Typography } from 'antd';
import { errorMessage } from '../lib/api-client';

/**
 * A confirmation that needs a written reason (退回, 驳回, 撤销, 暂停…): the reason is required,
 * trimmed, and handed to `onOk`; a refusal from the server stays in the dialog, next to the
 * reason, so nothing typed is lost. `onOk` closes the dialog itself when it succeeds.
 */
export function ReasonModal({
  title,
  okText,
  label = '原因',
  placeholder,
  note,
  danger,
  busy,
  onClose,
  onOk,
}: {
  title: string;
  okText: string;
  label?: string;
  placeholder?: string;
  /** What the action does, above the reason. */
  note?: ReactNode;
  danger?: boolean;
  busy: boolean;
  onClose: () => void;
  onOk: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={title}
      okText={okText}
      okButtonProps={{ danger }}
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      onOk={async () => {
        if (!reason.trim()) {
          setError(`请填写${label.replace(/（.*）$/, '')}`);
          return;
        }
        try {
          await onOk(reason.trim());
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      {note && <Typography.Paragraph type="secondary">{note}</Typography.Paragraph>}
      <Form layout="vertical">
        <Form.Item label={label} required validateStatus={error ? 'error' : undefined} help={error}>
          <Input.TextArea
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
            maxLength={500}
            showCount
            autoSize={{ minRows: 3, maxRows: 6 }}
            placeholder={placeholder}
            data-testid="reason-input"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

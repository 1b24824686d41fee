import { Tag } from 'antd';
import type { ServiceRecordDto } from '@wenming/contracts';

const STATUS: Record<ServiceRecordDto['status'], { label: string; color: string }> = {
  pending: { label: '待审核', color: 'gold' },
  verified: { label: '已认证', color: 'success' },
  rejected: { label: '未通过', color: 'error' },
  revoked: { label: '已撤销', color: 'default' },
};

export const SOURCE_NAMES: Record<ServiceRecordDto['source'], string> = { activity: '活动', order: '工单', manual: '补录', pairing: '结对' };

export function RecordStatusTag({ status }: { status: ServiceRecordDto['status'] }) {
  const s = STATUS[status];
  return (
    <Tag color={s.color} style={{ marginInlineEnd: 0 }}>
      {s.label}
    </Tag>
  );
}

export function Stars({ star, size }: { star: number; size?: 'large' }) {
  return (
    <span className={`vol-stars${size === 'large' ? ' large' : ''}`} aria-label={`${star} 星`} title={`${star} 星志愿者`}>
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} className={i <= star ? 'on' : 'off'}>
          ★
        </span>
      ))}
    </span>
  );
}

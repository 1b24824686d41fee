import { Button, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { formatDateTime } from '../../../lib/format';
import type { ActivityDto, SignupDto } from '../api/activities-api';
import { attendanceShare, formatShare, MIN_ATTENDANCE_SHARE, ROLE_NAMES, SIGNUP_STATUS_NAMES } from './activity-format';

/** The columns of 报名与出勤: who, their state, the scans, the share of the activity attended, the hours, and 补录出勤. */
export function signupColumns(a: ActivityDto, canMark: boolean, onMark: (s: SignupDto) => void): TableColumnsType<SignupDto> {
  return [
    { title: '姓名', dataIndex: 'name', width: 110, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
    {
      title: '身份',
      dataIndex: 'role',
      width: 80,
      render: (r: SignupDto['role']) => <Tag color={r === 'volunteer' ? 'red' : 'blue'}>{ROLE_NAMES[r]}</Tag>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (s: SignupDto['status']) => <Tag color={s === 'registered' ? 'green' : s === 'waitlisted' ? 'orange' : 'default'}>{SIGNUP_STATUS_NAMES[s]}</Tag>,
    },
    {
      title: '签到',
      dataIndex: 'checkinAt',
      width: 150,
      render: (t: string | null) => (t ? formatDateTime(t) : <Typography.Text type="secondary">未签到</Typography.Text>),
    },
    {
      title: '签退',
      dataIndex: 'checkoutAt',
      width: 150,
      render: (t: string | null) => (t ? formatDateTime(t) : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: '出勤',
      key: 'share',
      width: 80,
      render: (_: unknown, s) => {
        const share = attendanceShare(a, s.checkinAt, s.checkoutAt);
        return share !== null && share < MIN_ATTENDANCE_SHARE ? (
          <Tooltip title="不足 60%，结束活动时默认不计时长">
            <Typography.Text type="warning">{formatShare(share)}</Typography.Text>
          </Tooltip>
        ) : (
          formatShare(share)
        );
      },
    },
    {
      title: '时长',
      dataIndex: 'hours',
      width: 90,
      render: (h: number | null) => (h === null ? '—' : <Typography.Text strong>{h} 小时</Typography.Text>),
    },
    { title: '补录说明', dataIndex: 'attendanceNote', ellipsis: true, render: (n: string | null) => n ?? '—' },
    {
      title: '操作',
      key: 'op',
      width: 110,
      fixed: 'right',
      render: (_: unknown, s) =>
        canMark && s.status === 'registered' ? (
          <Button size="small" icon={<EditOutlined />} onClick={() => onMark(s)} data-testid="attendance-button">
            补录出勤
          </Button>
        ) : null,
    },
  ];
}

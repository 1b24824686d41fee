import { cellTime, createWorkbook } from '../../lib/xlsx.ts';

/** One person's sign-up as the organiser's export shows it (the phone already masked for the viewer). */
export interface SignupExportRow {
  role: 'volunteer' | 'resident';
  name: string;
  phone: string;
  status: 'registered' | 'waitlisted' | 'withdrawn';
  /** Place in the role's waiting list (1 = next to move up); null unless waitlisted. */
  position: number | null;
  signedUpAt: Date;
  checkinAt: Date | null;
  checkoutAt: Date | null;
  /** Share of the activity's time attended, 0–1; null until checked in and out. */
  share: number | null;
  hours: number | null;
  attendanceNote: string | null;
}

// The names the admin page's sign-up table uses.
const ROLE_NAMES: Record<SignupExportRow['role'], string> = { volunteer: '志愿者', resident: '群众' };
const STATUS_NAMES: Record<SignupExportRow['status'], string> = { registered: '已报名', waitlisted: '候补', withdrawn: '已取消报名' };

/** 报名与出勤名单.xlsx: one row per sign-up, in the order people signed up. */
export async function signupsWorkbook(rows: SignupExportRow[]): Promise<Buffer> {
  const wb = await createWorkbook();
  wb.addSheet(
    '报名与出勤',
    [
      { header: '身份', key: 'role', width: 8 },
      { header: '姓名', key: 'name', width: 12 },
      { header: '手机号', key: 'phone', width: 14, text: true },
      { header: '报名状态', key: 'status', width: 12 },
      { header: '候补顺位', key: 'position', width: 10 },
      { header: '报名时间', key: 'signedUpAt', width: 18 },
      { header: '签到时间', key: 'checkinAt', width: 18 },
      { header: '签退时间', key: 'checkoutAt', width: 18 },
      { header: '出勤比例（%）', key: 'share', width: 14 },
      { header: '时长（小时）', key: 'hours', width: 12 },
      { header: '补录说明', key: 'attendanceNote', width: 40 },
    ],
    rows.map((r) => ({
      role: ROLE_NAMES[r.role],
      name: r.name,
      phone: r.phone,
      status: STATUS_NAMES[r.status],
      position: r.position ?? '',
      signedUpAt: cellTime(r.signedUpAt),
      checkinAt: cellTime(r.checkinAt),
      checkoutAt: cellTime(r.checkoutAt),
      share: r.share === null ? '' : Math.round(r.share * 100),
      hours: r.hours ?? '',
      attendanceNote: r.attendanceNote ?? '',
    })),
  );
  return wb.toBuffer();
}

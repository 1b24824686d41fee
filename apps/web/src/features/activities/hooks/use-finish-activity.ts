import { useState } from 'react';
import { App } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { useActivityTransition, type ActivityDto, type SignupDto } from '../api/activities-api';
import { attendanceShare, MIN_ATTENDANCE_SHARE } from '../components/activity-format';

export interface ShareRow {
  s: SignupDto;
  share: number | null;
}
export interface Override {
  on: boolean;
  reason: string;
}

/**
 * 结束活动: the registered volunteers sorted into those who earn hours, those under 60 %
 * attendance (no hours unless confirmed with a reason) and those without a full scan; the
 * summary, the overrides, and the finish that sends them.
 */
export function useFinishActivity(a: ActivityDto, signups: SignupDto[], onDone: () => void) {
  const { message } = App.useApp();
  const finish = useActivityTransition(a.id);
  const [summary, setSummary] = useState('');
  // 参与人数 / 服务人次: left empty, the server counts who checked in (and the residents among them).
  const [participants, setParticipants] = useState<number | null>(null);
  const [peopleServed, setPeopleServed] = useState<number | null>(null);
  const [overrides, setOverrides] = useState<Record<string, Override>>({});
  const [error, setError] = useState<string | null>(null);
  const volunteers = signups.filter((s) => s.role === 'volunteer' && s.status === 'registered');
  const rows: ShareRow[] = volunteers.map((s) => ({ s, share: attendanceShare(a, s.checkinAt, s.checkoutAt) }));
  const earning = rows.filter((r) => r.share !== null && r.share >= MIN_ATTENDANCE_SHARE && (r.s.hours ?? 0) > 0);
  const low = rows.filter((r) => r.share !== null && r.share < MIN_ATTENDANCE_SHARE && (r.s.hours ?? 0) > 0);
  const absent = rows.filter((r) => r.share === null);
  const earningCount = earning.length + low.filter((r) => overrides[r.s.id]?.on).length;
  const overrideOf = (id: string): Override => overrides[id] ?? { on: false, reason: '' };
  const setOverride = (id: string, o: Override) => setOverrides({ ...overrides, [id]: o });
  const submit = async () => {
    setError(null);
    const chosen = low.filter((r) => overrides[r.s.id]?.on);
    const missing = chosen.filter((r) => !overrides[r.s.id]?.reason.trim());
    if (missing.length) return setError(`请填写认定理由：${missing.map((r) => r.s.name).join('、')}`);
    try {
      const r = await finish.mutateAsync({
        action: 'finish',
        body: {
          summary: summary.trim() || undefined,
          participants: participants ?? undefined,
          peopleServed: peopleServed ?? undefined,
          overrides: chosen.length ? chosen.map((c) => ({ signupId: c.s.id, reason: overrides[c.s.id]!.reason.trim() })) : undefined,
        },
      });
      message.success(`活动已结束，生成 ${r.recordsCreated ?? 0} 条待审核的服务时长记录`);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return {
    summary,
    setSummary,
    participants,
    setParticipants,
    peopleServed,
    setPeopleServed,
    low,
    absent,
    earningCount,
    overrideOf,
    setOverride,
    error,
    submit,
    finishing: finish.isPending,
  };
}

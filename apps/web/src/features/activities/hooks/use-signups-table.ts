import { useMemo, useState } from 'react';
import { useXlsxDownload } from '../../../lib/download';
import { useSignups, type ActivityDto, type SignupDto } from '../api/activities-api';

/**
 * 报名与出勤: the sign-ups (refreshed every 30 s while the activity runs), the counts above the
 * table, whether withdrawn ones are shown, the one being corrected, and the Excel export.
 */
export function useSignupsTable(a: ActivityDto) {
  const q = useSignups(a.id, { refetchInterval: a.state === 'published' ? 30_000 : undefined });
  const [editing, setEditing] = useState<SignupDto | null>(null);
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const all = useMemo(() => q.data ?? [], [q.data]);
  const rows = showWithdrawn ? all : all.filter((s) => s.status !== 'withdrawn');
  const counts = useMemo(() => {
    const active = all.filter((s) => s.status === 'registered');
    return {
      registered: active.length,
      waitlisted: all.filter((s) => s.status === 'waitlisted').length,
      checkedIn: active.filter((s) => s.checkinAt).length,
      withdrawn: all.filter((s) => s.status === 'withdrawn').length,
    };
  }, [all]);
  const xlsx = useXlsxDownload();
  const exportList = () => void xlsx.download(`/activities/${a.id}/signups/export`, {}, `${a.title}-报名与出勤名单.xlsx`);
  return {
    q,
    rows,
    empty: !all.length,
    counts,
    showWithdrawn,
    setShowWithdrawn,
    editing,
    setEditing,
    canMark: a.allowedActions.includes('attendance'),
    exportList,
    exporting: xlsx.busy,
  };
}

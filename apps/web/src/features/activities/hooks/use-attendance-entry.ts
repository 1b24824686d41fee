import { useState } from 'react';
import { App } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { isoToLocalInput, localInputToIso } from '../../../lib/format';
import { useAttendance, type ActivityDto, type SignupDto } from '../api/activities-api';

/**
 * 补录出勤 for one sign-up: the two times (prefilled from the scans, else the activity's own),
 * the reason, the span between them, and the save that checks all three first.
 */
export function useAttendanceEntry(a: ActivityDto, signup: SignupDto, onDone: () => void) {
  const { message } = App.useApp();
  const save = useAttendance(a.id);
  const [checkinAt, setCheckinAt] = useState(isoToLocalInput(signup.checkinAt ?? a.startsAt));
  const [checkoutAt, setCheckoutAt] = useState(isoToLocalInput(signup.checkoutAt ?? a.endsAt));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const span = checkinAt && checkoutAt ? Date.parse(localInputToIso(checkoutAt)!) - Date.parse(localInputToIso(checkinAt)!) : NaN;
  const fillWhole = () => (setCheckinAt(isoToLocalInput(a.startsAt)), setCheckoutAt(isoToLocalInput(a.endsAt)));
  const submit = async () => {
    setError(null);
    if (!checkinAt || !checkoutAt) return setError('请填写签到和签退时间');
    if (!(span >= 0)) return setError('签退时间不能早于签到时间');
    if (!reason.trim()) return setError('请填写补录原因');
    try {
      await save.mutateAsync({ signupId: signup.id, checkinAt: localInputToIso(checkinAt)!, checkoutAt: localInputToIso(checkoutAt)!, reason: reason.trim() });
      message.success(`已补录 ${signup.name} 的出勤`);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return { checkinAt, setCheckinAt, checkoutAt, setCheckoutAt, reason, setReason, error, span, fillWhole, submit, saving: save.isPending };
}

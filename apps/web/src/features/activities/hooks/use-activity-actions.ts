import { useState } from 'react';
import { App } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { useActivityTransition, useSignups, type ActivityDto } from '../api/activities-api';

/**
 * The buttons of an activity's page: what its state allows (from `allowedActions`), publish and
 * cancel with a toast, how many people a cancellation notifies, and the 结束活动 dialog's state.
 */
export function useActivityActions(a: ActivityDto) {
  const { message } = App.useApp();
  const move = useActivityTransition(a.id);
  const signups = useSignups(a.id, { enabled: a.allowedActions.includes('finish') || a.allowedActions.includes('cancel') });
  const [finishing, setFinishing] = useState(false);
  const can = (x: ActivityDto['allowedActions'][number]) => a.allowedActions.includes(x);
  const people = (signups.data ?? []).filter((s) => s.status !== 'withdrawn').length;
  const run = async (action: 'publish' | 'cancel', done: string) => {
    try {
      await move.mutateAsync({ action });
      message.success(done);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const busy = (action: 'publish' | 'cancel') => move.isPending && move.variables?.action === action;
  return { can, people, run, busy, signups: signups.data ?? [], finishing, setFinishing };
}

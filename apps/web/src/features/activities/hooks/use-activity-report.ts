import { useState } from 'react';
import { App } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { usePublishReport, type ActivityDto } from '../api/activities-api';

/**
 * 活动报道: whether it is being written (at once when there is none yet and the caller may
 * write one), the summary (prefilled from the one given at 结束) and pictures, and publishing.
 */
export function useActivityReport(a: ActivityDto) {
  const { message } = App.useApp();
  const publish = usePublishReport(a.id);
  const canWrite = a.allowedActions.includes('report');
  const [editing, setEditing] = useState(!a.report && canWrite);
  const [summary, setSummary] = useState(a.report?.summary ?? a.summary ?? '');
  const [photoIds, setPhotoIds] = useState<string[]>(a.report?.photoIds ?? a.photoIds);
  const [peopleServed, setPeopleServed] = useState<number | null>(a.peopleServed);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    if (!summary.trim()) return setError('请填写活动总结');
    try {
      await publish.mutateAsync({ summary: summary.trim(), photoIds, ...(peopleServed !== null ? { peopleServed } : {}) });
      message.success(a.report ? '活动报道已更新' : '活动报道已发布，居民可在手机“活动风采”中看到');
      setEditing(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const cancel = () => {
    setEditing(false);
    setSummary(a.report?.summary ?? '');
    setPhotoIds(a.report?.photoIds ?? []);
    setError(null);
  };
  return {
    canWrite,
    editing,
    setEditing,
    summary,
    setSummary,
    peopleServed,
    setPeopleServed,
    photoIds,
    setPhotoIds,
    error,
    submit,
    cancel,
    publishing: publish.isPending,
  };
}

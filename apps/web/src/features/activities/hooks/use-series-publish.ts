import { App } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { useActivitySeries, useActivityTransition, type ActivityDto } from '../api/activities-api';

/** 每周系列: every occurrence of the activity's series, and 发布整个系列 while drafts remain. */
export function useSeriesPublish(a: ActivityDto) {
  const { message } = App.useApp();
  const q = useActivitySeries(a.seriesId);
  const items = q.data ?? [];
  // Publishing goes through a draft the caller may publish; the server then publishes every draft of the series.
  const firstDraft = items.find((o) => o.state === 'draft' && o.allowedActions.includes('publish'));
  const drafts = items.filter((o) => o.state === 'draft').length;
  const publish = useActivityTransition(firstDraft?.id ?? a.id);
  const run = async () => {
    try {
      await publish.mutateAsync({ action: 'publish', body: { series: true } });
      message.success(`已发布整个系列（${drafts} 次活动），开始招募`);
      void q.refetch();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return { q, items, canPublish: !!firstDraft, drafts, run, publishing: publish.isPending };
}

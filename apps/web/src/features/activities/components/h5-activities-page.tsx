import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { Segmented, Tag } from 'antd';
import type { MeDto } from '@wenming/contracts';
import { AreaScope } from '../../../components/area-scope';
import { H5FilterChips, H5SearchInput } from '../../../components/h5-filters';
import { H5PagedList } from '../../../components/h5-paged-list';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { useAreaScope } from '../../../lib/my-community';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { useActivityList, type ActivityFilter } from '../api/activities-api';
import { addChinaDays, chinaDate, chinaIso, chinaWeekdayIndex } from './activity-format';
import { H5ActivityCard } from './h5-activity-card';
import { H5ReportCard } from './h5-report-card';
import './activities.css';

const WHEN = { today: '今天', week: '本周', all: '全部' } as const;
type When = keyof typeof WHEN;

/** from/to for 今天 / 本周 / 全部, from now on (what is over is not worth showing here). */
function rangeOf(when: When, nowIso: string): { from: string; to?: string } {
  const today = chinaDate(nowIso);
  if (when === 'today') return { from: nowIso, to: chinaIso(today, '23:59:59') };
  if (when === 'week') return { from: nowIso, to: chinaIso(addChinaDays(today, 6 - chinaWeekdayIndex(today)), '23:59:59') };
  return { from: nowIso };
}

function ActivityList({
  filter,
  enabled,
  empty,
  categoryName,
  stories,
}: {
  filter: ActivityFilter;
  enabled: boolean;
  empty: string;
  categoryName: (c: string) => string;
  stories?: boolean;
}) {
  const q = useActivityList(filter, { enabled, limit: stories ? 10 : undefined });
  return (
    <H5PagedList
      query={q}
      ready={enabled}
      empty={empty}
      renderItem={(a) => (stories ? <H5ReportCard activity={a} categoryName={categoryName} /> : <H5ActivityCard activity={a} categoryName={categoryName} />)}
    />
  );
}

/**
 * 活动 (H5 tab): published activities around my community (the district center's whole
 * subtree), by category, day and words; 我的活动 (what I signed up for); and 活动风采 (finished
 * activities with a published report, newest first).
 */
export function H5ActivitiesPage({ me }: { me: MeDto }) {
  useDocumentTitle('活动');
  const [params, set] = useUrlParams();
  const tabParam = params.get('tab');
  const tab = tabParam === 'mine' || tabParam === 'report' ? tabParam : 'near';
  const whenParam = params.get('when');
  const when: When = whenParam === 'today' || whenParam === 'week' ? whenParam : 'all';
  const category = params.get('category') ?? undefined;
  const everywhere = params.get('scope') === 'all';
  const mineAll = params.get('mine') === 'all';
  const [input, setInput] = useState(params.get('q') ?? '');
  const q = useDebounced(input.trim(), 350);
  // "Now" once per visit: a new instant on every render would be a new query each time.
  const [nowIso] = useState(() => new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString());

  // Only when the debounced words change; the current params are read, not listened to.
  const syncWords = useEffectEvent((words: string) => {
    if ((params.get('q') ?? '') !== words) set({ q: words || null });
  });
  useEffect(() => syncWords(q), [q]);

  const categories = useCategories();
  const categoryName = useCategoryName();
  const { community, setCommunity, scoped, ready: centerReady, districtId, areaName } = useAreaScope(me.id, everywhere);

  const nearFilter = useMemo<ActivityFilter>(
    () => ({ state: 'published', ...rangeOf(when, nowIso), category, q: q || undefined, orgId: districtId }),
    [when, nowIso, category, q, districtId],
  );
  const mineFilter = useMemo<ActivityFilter>(() => ({ mine: true, ...(mineAll ? {} : { from: nowIso }) }), [mineAll, nowIso]);
  // 活动风采 follow the same area as 身边活动: my district's reports first, all districts on request.
  const reportFilter = useMemo<ActivityFilter>(() => ({ report: true, orgId: districtId }), [districtId]);

  const scopeBar = (
    <AreaScope
      community={community}
      everywhere={everywhere}
      areaName={areaName}
      what="活动"
      pickReason="就近看活动"
      onToggle={() => set({ scope: everywhere ? null : 'all' })}
      onChoose={(org) => {
        setCommunity(org);
        set({ scope: null });
      }}
      testId="activity-scope"
      pickTestId="activity-pick-community"
    />
  );

  return (
    <div className="h5-page act-h5">
      <Segmented
        block
        className="act-tabs"
        value={tab}
        onChange={(v) => set({ tab: v === 'mine' || v === 'report' ? v : null })}
        options={[
          { value: 'near', label: '身边活动' },
          { value: 'mine', label: '我的活动' },
          { value: 'report', label: '活动风采' },
        ]}
        data-testid="activity-tabs"
      />

      {tab === 'near' ? (
        <>
          <section className="h5-card act-filters">
            {scopeBar}
            <H5SearchInput value={input} onChange={setInput} placeholder="搜索活动名称、地点" testId="activity-search" />
            <div className="h5-chips act-when" role="group" aria-label="时间">
              {(Object.keys(WHEN) as When[]).map((w) => (
                <Tag.CheckableTag key={w} className="h5-chip" checked={when === w} onChange={() => set({ when: w === 'all' ? null : w })}>
                  {WHEN[w]}
                </Tag.CheckableTag>
              ))}
            </div>
            <H5FilterChips
              className="act-cats"
              label="服务类别"
              allLabel="全部类别"
              value={category}
              options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
              onChange={(c) => set({ category: c })}
            />
          </section>
          <ActivityList
            filter={nearFilter}
            enabled={centerReady}
            categoryName={categoryName}
            empty={
              q
                ? `没有找到与“${q}”有关的活动`
                : when === 'today'
                  ? '今天没有正在报名的活动'
                  : when === 'week'
                    ? '本周没有正在报名的活动'
                    : '暂时没有正在报名的活动'
            }
          />
        </>
      ) : tab === 'report' ? (
        <>
          <section className="h5-card act-filters">{scopeBar}</section>
          <div className="act-stories-intro">已结束活动的现场照片和活动报道，最新的在前。</div>
          <ActivityList
            filter={reportFilter}
            enabled={centerReady}
            stories
            categoryName={categoryName}
            empty={scoped ? `${areaName}还没有发布的活动报道，可点“全部地区”看看别处` : '还没有发布的活动报道'}
          />
        </>
      ) : (
        <>
          <Segmented
            className="act-mine-filter"
            value={mineAll ? 'all' : 'open'}
            onChange={(v) => set({ mine: v === 'all' ? 'all' : null })}
            options={[
              { value: 'open', label: '未结束' },
              { value: 'all', label: '全部（含已结束）' },
            ]}
          />
          <ActivityList filter={mineFilter} enabled categoryName={categoryName} empty={mineAll ? '您还没有报名过活动' : '您没有未结束的活动报名'} />
        </>
      )}
    </div>
  );
}

import { shortOrgName, type StatsLiveEvent } from '@wenming/contracts';
import { toIso } from '../../lib/time.ts';
import { inScope, type Scope } from '../../lib/policy.ts';
import type { StatsRepository } from './stats.repository.ts';

type Listener = (e: StatsLiveEvent) => void;
type Row = Awaited<ReturnType<StatsRepository['recentEvents']>>[number];

/** Look this far back on every poll: a fact committed late is still caught (ids dedupe). */
const OVERLAP_MS = 60_000;

/**
 * The big screen's live feed: new orders, acceptances and published activities. One poller per
 * process reads the last minute of order events and activities (indexed by city and time) every
 * `pollMs` while anybody listens, and hands each new item to the listeners whose scope holds the
 * item's site. Items carry no personal data: the site, the category, the order code or the
 * activity's public title. Any number of processes may run it; each polls for its own listeners.
 */
export function createStatsLive(deps: {
  stats: StatsRepository;
  cities: () => Promise<string[]>;
  categories: () => Promise<{ code: string; name: string }[]>;
  pollMs?: number;
  clock?: () => Date;
}) {
  const now = deps.clock ?? (() => new Date());
  const listeners = new Set<{ scope: Scope; fn: Listener }>();
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let catNames: Map<string, string> | null = null;

  async function toEvent(r: Row): Promise<StatsLiveEvent> {
    catNames ??= new Map((await deps.categories()).map((c) => [c.code, c.name]));
    const categoryName = catNames.get(r.category) ?? r.category;
    const site = shortOrgName(r.org_name);
    const text =
      r.kind === 'order.submitted'
        ? `${site} 新增「${categoryName}」需求（工单 ${r.code}）`
        : r.kind === 'order.accepted'
          ? `${site} 工单 ${r.code} 已接单`
          : r.kind === 'order.forwarded'
            ? `${site} 工单 ${r.code} 已转职能部门办理`
            : `${site} 发布活动《${r.title}》`;
    return {
      id: `${r.kind}:${r.id}`,
      kind: r.kind as StatsLiveEvent['kind'],
      at: toIso(new Date(r.at)),
      orgId: r.org_id,
      orgName: r.org_name,
      category: r.category,
      categoryName,
      text,
    };
  }

  async function fetchSince(since: Date) {
    const rows: Row[] = [];
    for (const city of await deps.cities()) rows.push(...(await deps.stats.recentEvents(city, since)));
    return rows.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  }

  async function pollOnce() {
    const t = now().getTime();
    const rows = await fetchSince(new Date(t - OVERLAP_MS));
    for (const r of rows) {
      const key = `${r.kind}:${r.id}`;
      if (seen.has(key)) continue;
      seen.set(key, t);
      const e = await toEvent(r);
      for (const l of listeners) if (inScope(l.scope, { cityCode: r.city_code, path: r.path })) l.fn(e);
    }
    for (const [k, at] of seen) if (at < t - 5 * OVERLAP_MS) seen.delete(k);
  }

  function poll() {
    polling ??= pollOnce()
      .catch(() => {
        // The database may be away for a moment; the next poll tries again.
      })
      .finally(() => {
        polling = null;
      });
    return polling;
  }

  return {
    /** Subscribes; the first subscriber starts the poller. Returns the unsubscribe function. */
    async subscribe(scope: Scope, fn: Listener): Promise<() => void> {
      if (!timer) {
        // What already happened is not news: mark the last minute as seen before polling.
        for (const r of await fetchSince(new Date(now().getTime() - OVERLAP_MS))) seen.set(`${r.kind}:${r.id}`, now().getTime());
        timer = setInterval(() => void poll(), deps.pollMs ?? 2000);
        timer.unref?.();
      }
      const l = { scope, fn };
      listeners.add(l);
      return () => {
        listeners.delete(l);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    /** The latest items in the scope (what a screen shows when it connects). */
    async recent(scope: Scope, limit: number, days = 3): Promise<StatsLiveEvent[]> {
      const rows = (await fetchSince(new Date(now().getTime() - days * 86_400_000))).filter((r) => inScope(scope, { cityCode: r.city_code, path: r.path }));
      return Promise.all(rows.slice(-limit).map(toEvent));
    },
    poll,
    listeners: () => listeners.size,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      listeners.clear();
      await polling;
    },
  };
}

export type StatsLive = ReturnType<typeof createStatsLive>;

import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useStatsCategories, useStatsDistricts, useStatsMap, useStatsOverview, useStatsTop, useStatsTrend } from '../api/stats-api';
import { useLiveFeed } from '../api/use-live-feed';
import type { MapMetric } from '../components/screen-parts';

const REFRESH_MS = 60_000;

/**
 * Everything the 指挥调度大屏 shows, for the org in the address (else the caller's own, which the
 * map resolves): the figures, refreshed every minute and soon after news from the live feed; the
 * connection status; the map's metric; and drilling down into a district and back up the trail.
 */
export function useScreenDashboard() {
  const params = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const trail = ((location.state as { trail?: string[] } | null)?.trail ?? []) as string[];
  const qc = useQueryClient();
  const [metric, setMetric] = useState<MapMetric>('volunteers');

  // The map resolves the org in focus (the one in the address, else the caller's own).
  const mapQ = useStatsMap(params.orgId);
  const orgId = params.orgId ?? mapQ.data?.org?.id;
  const ready = !!orgId;
  const live = { refetchInterval: REFRESH_MS };
  const overview = useStatsOverview(orgId, live, ready);
  const trend = useStatsTrend(orgId, 12, live, ready);
  const cats = useStatsCategories({ orgId }, live, ready);
  const top = useStatsTop({ orgId }, live, ready);
  const districts = useStatsDistricts({ orgId }, live, ready);
  useDocumentTitle(mapQ.data?.org ? `${mapQ.data.org.name} 指挥调度大屏` : '指挥调度大屏');

  // News from the feed: refresh the counters soon, at most every 6 s — after the server's shared
  // answers (STATS_FRESH_MS, 5 s by default) have renewed, so the refresh sees the news.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const feed = useLiveFeed(orgId, {
    enabled: ready,
    onEvent: () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        void qc.invalidateQueries({ queryKey: ['stats', 'overview'] });
        void qc.invalidateQueries({ queryKey: ['stats', 'districts'] });
      }, 6000);
    },
  });
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);

  const dataDown = overview.isError || (mapQ.isError && !mapQ.data);
  const status = dataDown ? 'down' : feed.status;
  const statusText = status === 'open' ? '实时连接正常' : status === 'connecting' ? '正在连接…' : '连接中断，自动重连中';

  const drill = (id: string) => {
    if (!id || id === orgId) return;
    navigate(`/screen/dashboard/${id}`, { state: { trail: [...trail, orgId] } });
  };
  const back = () => {
    const prev = trail.at(-1);
    if (prev) navigate(`/screen/dashboard/${prev}`, { state: { trail: trail.slice(0, -1) } });
    else if (mapQ.data?.org?.parentId) navigate(`/screen/dashboard/${mapQ.data.org.parentId}`);
  };

  return {
    mapQ,
    overview: overview.data,
    trend: trend.data,
    categories: cats.data?.items,
    top: top.data,
    districts: districts.data?.items,
    feedItems: feed.items,
    status,
    statusText,
    metric,
    setMetric,
    drill,
    back,
    canGoBack: trail.length > 0,
    thisMonth: trend.data ? trend.data.series.orders.at(-1) : undefined,
  };
}

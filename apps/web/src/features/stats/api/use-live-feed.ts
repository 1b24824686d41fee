import { useEffect, useRef, useState } from 'react';
import type { StatsLiveEvent } from '@wenming/contracts';
import { API_BASE, withQuery } from '../../../lib/api-client';

export type FeedStatus = 'connecting' | 'open' | 'down';

/**
 * The big screen's live feed (GET /stats/live, SSE). Keeps the latest `keep` items, newest first.
 * EventSource reconnects by itself after a drop; when the browser gives up (the stream closed for
 * good), this opens a new one after a pause, so the screen heals without anybody touching it.
 */
export function useLiveFeed(orgId: string | undefined, opts: { keep?: number; onEvent?: (e: StatsLiveEvent) => void; enabled?: boolean } = {}) {
  const [items, setItems] = useState<(StatsLiveEvent & { fresh?: boolean })[]>([]);
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const onEvent = useRef(opts.onEvent);
  onEvent.current = opts.onEvent;
  const keep = opts.keep ?? 30;
  const enabled = opts.enabled ?? true;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let closed = false;
    setItems([]);
    const connect = () => {
      setStatus('connecting');
      source = new EventSource(withQuery(`${API_BASE}/stats/live`, { orgId }), { withCredentials: true });
      source.onopen = () => setStatus('open');
      source.onerror = () => {
        setStatus('down');
        if (source?.readyState === EventSource.CLOSED && !closed) {
          source.close();
          retry = setTimeout(connect, 5000);
        }
      };
      source.addEventListener('live', (ev) => {
        let e: StatsLiveEvent & { replay?: boolean };
        try {
          e = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        setItems((prev) =>
          prev.some((p) => p.id === e.id) ? prev : [{ ...e, fresh: !e.replay }, ...prev].sort((a, b) => b.at.localeCompare(a.at)).slice(0, keep),
        );
        if (!e.replay) onEvent.current?.(e);
      });
    };
    connect();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [orgId, keep, enabled]);

  return { items, status };
}

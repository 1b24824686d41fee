import { useEffect, useRef } from 'react';
import { API_BASE } from './api-client';

/** A notification pushed by the server (`event: notification` on GET /events). */
export interface ServerNotification {
  id: string;
  kind: string;
  title: string;
  body?: string | null;
  refType: string | null;
  refId: string | null;
  at: string;
}

type Listener = (n: ServerNotification) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function open() {
  if (source || typeof EventSource === 'undefined') return;
  // EventSource reconnects by itself (the server sends `retry: 3000`).
  source = new EventSource(`${API_BASE}/events`, { withCredentials: true });
  source.addEventListener('notification', (e) => {
    let n: ServerNotification;
    try {
      n = JSON.parse((e as MessageEvent<string>).data) as ServerNotification;
    } catch {
      return;
    }
    for (const l of [...listeners]) l(n);
  });
}

function close() {
  source?.close();
  source = null;
}

/**
 * Calls `onNotification` for each notification pushed to the signed-in user. One connection per
 * tab, however many components listen; closed when the last one leaves (e.g. on sign-out).
 */
export function useServerEvents(onNotification: Listener, enabled = true): void {
  const ref = useRef(onNotification);
  ref.current = onNotification;
  useEffect(() => {
    if (!enabled) return;
    const l: Listener = (n) => ref.current(n);
    listeners.add(l);
    open();
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) close();
    };
  }, [enabled]);
}

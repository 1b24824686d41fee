import type { Database } from '../../db/client.ts';
import { EVENTS_CHANNEL, present, type NotificationDto, type NotificationsRepository } from './notifications.repository.ts';

type Listener = (n: NotificationDto) => void;

/** Ids pushed lately, so the catch-up after a lost LISTEN connection sends nothing twice. */
const RECENT_IDS = 2_000;
/** The catch-up also reads this far before the connection was lost (transactions that committed around then). */
const CATCH_UP_MARGIN_MS = 30_000;
const CATCH_UP_LIMIT = 1_000;

/**
 * Fans notifications out to the SSE connections of this process. Every process LISTENs on one
 * channel, so a change made by any process reaches a user connected to any other. When the LISTEN
 * connection was lost (a database restart) and is back, the inbox rows written meanwhile are
 * pushed to the users connected here, so an SSE client misses nothing it would have received.
 */
export function createNotificationHub(database: Database, inbox?: Pick<NotificationsRepository, 'since'>) {
  const listeners = new Map<string, Set<Listener>>();
  const recent = new Set<string>();
  let unlisten: (() => Promise<void>) | null = null;
  let starting: Promise<void> | null = null;

  function deliver(userId: string, n: NotificationDto) {
    if (recent.has(n.id)) return;
    recent.add(n.id);
    if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
    for (const l of listeners.get(userId) ?? []) l(n);
  }

  async function catchUp(downSince: Date) {
    if (!inbox || !listeners.size) return;
    const rows = await inbox.since([...listeners.keys()], new Date(downSince.getTime() - CATCH_UP_MARGIN_MS), CATCH_UP_LIMIT);
    for (const r of rows) deliver(r.userId, present(r));
  }

  function start() {
    starting ??= database
      .listen(
        EVENTS_CHANNEL,
        (payload) => {
          try {
            const { userId, notification } = JSON.parse(payload) as { userId: string; notification: NotificationDto };
            deliver(userId, notification);
          } catch {
            // A malformed payload is ignored; the inbox still has the row.
          }
        },
        // Best effort: should the database fail again right away, the next reconnect catches up.
        (downSince) => void catchUp(downSince).catch(() => {}),
      )
      .then(
        (u) => {
          unlisten = u;
        },
        (e: unknown) => {
          // Not memoised: the next subscriber tries again. (On PostgreSQL the LISTEN connection
          // itself reconnects and LISTENs again after a database restart: db/client.ts.)
          starting = null;
          throw e;
        },
      );
    return starting;
  }

  return {
    start,
    async subscribe(userId: string, listener: Listener): Promise<() => void> {
      await start();
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },
    connections: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    async stop() {
      if (unlisten) await unlisten();
      listeners.clear();
    },
  };
}

export type NotificationHub = ReturnType<typeof createNotificationHub>;

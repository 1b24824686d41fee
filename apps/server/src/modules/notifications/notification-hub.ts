import type { Database } from '../../db/client.ts';
import { EVENTS_CHANNEL, type NotificationDto } from './notifications.repository.ts';

type Listener = (n: NotificationDto) => void;

/**
 * Fans notifications out to the SSE connections of this process. Every process LISTENs on one
 * channel, so a change made by any process reaches a user connected to any other.
 */
export function createNotificationHub(database: Database) {
  const listeners = new Map<string, Set<Listener>>();
  let unlisten: (() => Promise<void>) | null = null;
  let starting: Promise<void> | null = null;

  function start() {
    starting ??= database
      .listen(EVENTS_CHANNEL, (payload) => {
        try {
          const { userId, notification } = JSON.parse(payload) as { userId: string; notification: NotificationDto };
          for (const l of listeners.get(userId) ?? []) l(notification);
        } catch {
          // A malformed payload is ignored; the inbox still has the row.
        }
      })
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

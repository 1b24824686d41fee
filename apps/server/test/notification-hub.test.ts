import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { createNotificationHub } from '../src/modules/notifications/notification-hub.ts';
import type { NotificationsRepository } from '../src/modules/notifications/index.ts';

type Row = Awaited<ReturnType<NotificationsRepository['since']>>[number];

const row = (id: string, userId: string, at: string): Row => ({
  id,
  userId,
  cityCode: null,
  kind: 'order.progress',
  title: id,
  body: null,
  refType: 'order',
  refId: id,
  readAt: null,
  createdAt: new Date(at),
});

/** A database whose LISTEN the test drives: `push` is a NOTIFY, `resume` the LISTEN connection coming back. */
function fakeDatabase() {
  let onMessage: (payload: string) => void = () => {};
  let onResume: (downSince: Date) => void = () => {};
  let attempts = 0;
  const database = {
    listen: (_channel: string, m: (payload: string) => void, r?: (downSince: Date) => void) => {
      attempts++;
      if (attempts === 1) return Promise.reject(new Error('connect ECONNREFUSED'));
      onMessage = m;
      onResume = r ?? (() => {});
      return Promise.resolve(async () => {});
    },
  } as unknown as Database;
  return {
    database,
    attempts: () => attempts,
    push: (userId: string, r: Row) => onMessage(JSON.stringify({ userId, notification: { id: r.id, title: r.title } })),
    resume: (downSince: Date) => onResume(downSince),
  };
}

describe('notification hub', () => {
  it('tries LISTEN again after a failed start, and after a lost connection pushes what was written meanwhile, each once', async () => {
    const db = fakeDatabase();
    const written = [row('n1', 'u1', '2027-01-01T00:00:00Z'), row('n2', 'u1', '2027-01-01T00:00:05Z'), row('n3', 'u2', '2027-01-01T00:00:06Z')];
    let asked: { users: string[]; after: Date } | null = null;
    const hub = createNotificationHub(db.database, {
      since: (users: string[], after: Date) => {
        asked = { users, after };
        return Promise.resolve(written.filter((r) => users.includes(r.userId) && r.createdAt > after));
      },
    });

    const got: string[] = [];
    // The first LISTEN fails (database away): the subscription fails, but is not memoised.
    await expect(hub.subscribe('u1', (n) => got.push(n.id))).rejects.toThrow('ECONNREFUSED');
    await hub.subscribe('u1', (n) => got.push(n.id));
    expect(db.attempts()).toBe(2);

    db.push('u1', written[0]!);
    expect(got).toEqual(['n1']);

    // The LISTEN connection was away from 00:00:04 and is back: n2 was written meanwhile; n1 came live already.
    db.resume(new Date('2027-01-01T00:00:04Z'));
    await new Promise((r) => setTimeout(r, 10));
    expect(asked!.users).toEqual(['u1']);
    expect(asked!.after.getTime()).toBeLessThan(new Date('2027-01-01T00:00:04Z').getTime());
    expect(got).toEqual(['n1', 'n2']);

    // A late NOTIFY of a row the catch-up already pushed is not sent again.
    db.push('u1', written[1]!);
    expect(got).toEqual(['n1', 'n2']);
    await hub.stop();
  });
});

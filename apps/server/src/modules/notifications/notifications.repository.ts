import { and, asc, desc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { messageOutbox, notifications } from '../../db/schema.ts';
import { EXTERNAL_KINDS } from '../../lib/channels.ts';
import { newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';

export const EVENTS_CHANNEL = 'wenming_events';

export interface NewNotification {
  userIds: string[];
  cityCode: string | null;
  kind: string;
  title: string;
  body?: string | null;
  refType?: string | null;
  refId?: string | null;
  /**
   * What makes this event one event for the outbox (docs/channels.md "Delivery"): a notice of the
   * same key to the same person by the same channel is sent once, however often it is written.
   * Default: a new key per call.
   */
  eventKey?: string;
}

/** The channels an outbox row is written for; the sender skips a channel that is not configured. */
const OUTBOX_CHANNELS = ['sms', 'wechat'] as const;

export interface NotificationDto {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  refType: string | null;
  refId: string | null;
  at: string;
  read: boolean;
}

export function createNotificationsRepository(db: Executor) {
  return {
    /**
     * Writes inbox rows and NOTIFYs them in one statement of the caller's transaction: PostgreSQL
     * delivers the NOTIFY only if the transaction commits, so pushes never announce what was
     * rolled back. `alongWith` are the caller's own data-modifying statements, run as parts of
     * the same statement (a use case whose whole write is one statement needs no transaction).
     */
    async add(tx: Executor, n: NewNotification, alongWith: SQL[] = []): Promise<(typeof notifications.$inferSelect)[]> {
      const at = new Date();
      const rows = [...new Set(n.userIds)].map((userId) => ({
        id: newId(),
        userId,
        cityCode: n.cityCode,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        refType: n.refType ?? null,
        refId: n.refId ?? null,
        readAt: null,
        createdAt: at,
      }));
      const parts = alongWith.map((s, i) => sql`${sql.raw(`w${i}`)} AS (${s})`);
      if (!rows.length) {
        if (parts.length) await tx.execute(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
        return [];
      }
      // The pushes are made from the rows as written, so insert and NOTIFY are one statement for all recipients, however many.
      const payloads = rows.map((r) =>
        JSON.stringify({ userId: r.userId, notification: present(r) } satisfies { userId: string; notification: NotificationDto }),
      );
      parts.push(sql`inbox AS (${tx.insert(notifications).values(rows).getSQL()})`);
      if (EXTERNAL_KINDS.has(n.kind)) {
        // SMS / WeChat leave through the outbox: written here, in the same statement as the inbox
        // rows, so a message exists exactly when the event committed (modules/notifications/outbox.ts).
        const eventKey = n.eventKey ?? newId();
        const out = rows.flatMap((r) =>
          OUTBOX_CHANNELS.map((channel) => ({
            id: newId(),
            eventKey,
            userId: r.userId,
            channel,
            cityCode: n.cityCode,
            kind: n.kind,
            title: n.title,
            refType: n.refType ?? null,
            refId: n.refId ?? null,
            status: 'pending' as const,
            attempts: 0,
            nextAttemptAt: at,
            createdAt: at,
            updatedAt: at,
          })),
        );
        parts.push(sql`outbox AS (${tx.insert(messageOutbox).values(out).onConflictDoNothing().getSQL()})`);
      }
      await tx.execute(
        sql`WITH ${sql.join(parts, sql`, `)} SELECT pg_notify(${EVENTS_CHANNEL}, p) FROM json_array_elements_text(${JSON.stringify(payloads)}::json) AS p`,
      );
      return rows;
    },

    async list(userId: string, opts: { unreadOnly?: boolean; beforeAt?: Date; limit: number }, tx: Executor = db) {
      const conds = [eq(notifications.userId, userId)];
      if (opts.unreadOnly) conds.push(isNull(notifications.readAt));
      if (opts.beforeAt) conds.push(lt(notifications.createdAt, opts.beforeAt));
      const rows = await tx
        .select()
        .from(notifications)
        .where(and(...conds))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(opts.limit);
      return rows;
    },

    /** Inbox rows of these users written after `after`, oldest first (the pushes a lost LISTEN connection missed). */
    async since(userIds: string[], after: Date, limit: number, tx: Executor = db) {
      if (!userIds.length) return [];
      return tx
        .select()
        .from(notifications)
        .where(and(inArray(notifications.userId, userIds), gt(notifications.createdAt, after)))
        .orderBy(asc(notifications.createdAt), asc(notifications.id))
        .limit(limit);
    },

    async unreadCount(userId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      return Number(r?.n ?? 0);
    },

    async markRead(userId: string, id: string | null, tx: Executor = db) {
      const conds = [eq(notifications.userId, userId), isNull(notifications.readAt)];
      if (id) conds.push(eq(notifications.id, id));
      await tx
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(...conds));
    },
  };
}

export function present(r: typeof notifications.$inferSelect): NotificationDto {
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, refType: r.refType, refId: r.refId, at: toIso(r.createdAt), read: r.readAt !== null };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;

import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { messageOutbox, noticeOptOuts } from '../../db/schema.ts';

export type OutboxRow = typeof messageOutbox.$inferSelect;

/** A claimed row with what sending it needs: the recipient's phone and openid, and whether they turned the kind off. */
export interface ClaimedMessage extends OutboxRow {
  phone: string | null;
  openid: string | null;
  optedOut: boolean;
}

/**
 * The outbox of SMS / WeChat messages (0033_message_outbox.sql). Rows are written by the
 * notifications repository in the event's own statement; this claims, records and lists them.
 */
export function createOutboxRepository(db: Executor) {
  return {
    /**
     * Claims due rows: locked with FOR UPDATE SKIP LOCKED (two processes never take the same row),
     * the attempt counted and a lease set until `leaseUntil`, all in one statement that commits at
     * once, so the provider is called outside any transaction. A fresh row (no attempt yet) is due
     * whatever its time; a failed one at its next_attempt_at; one whose claimer vanished when its
     * lease has run out. `eventKeys` narrows the claim to the messages of these events.
     */
    async claim(
      opts: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number; eventKeys?: string[]; appId?: string | null },
      tx: Executor = db,
    ): Promise<ClaimedMessage[]> {
      const conds: SQL[] = [
        sql`status = 'pending'`,
        sql`attempts < ${opts.maxAttempts}`,
        sql`(attempts = 0 OR next_attempt_at <= ${opts.now})`,
        sql`(claimed_until IS NULL OR claimed_until <= ${opts.now})`,
      ];
      if (opts.eventKeys) {
        if (!opts.eventKeys.length) return [];
        conds.push(
          sql`event_key IN (${sql.join(
            opts.eventKeys.map((k) => sql`${k}`),
            sql`, `,
          )})`,
        );
      }
      const res = await tx.execute(sql`
        UPDATE message_outbox SET attempts = attempts + 1, claimed_until = ${opts.leaseUntil}, updated_at = ${opts.now}
        WHERE id IN (
          SELECT id FROM message_outbox WHERE ${sql.join(conds, sql` AND `)}
          ORDER BY next_attempt_at, id LIMIT ${opts.limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id`);
      const ids = (res as { rows: { id: string }[] }).rows.map((r) => r.id);
      if (!ids.length) return [];
      const rows = await tx.execute(sql`
        SELECT o.*, u.phone, b.openid,
          EXISTS (SELECT 1 FROM notice_opt_outs x WHERE x.user_id = o.user_id AND x.channel = o.channel AND x.kind IN (o.kind, '*')) AS opted_out
        FROM message_outbox o
        LEFT JOIN users u ON u.id = o.user_id
        LEFT JOIN wechat_bindings b ON b.user_id = o.user_id AND b.app_id = ${opts.appId ?? ''}
        WHERE o.id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})
        ORDER BY o.created_at, o.id`);
      return (rows as { rows: Record<string, unknown>[] }).rows.map(fromRaw);
    },

    /** Records the outcome of a claimed attempt; ignored when the lease was lost (another process took the row since). */
    async settle(
      id: string,
      leaseUntil: Date,
      outcome:
        | { status: 'sent'; providerId: string | null; at: Date }
        | { status: 'skipped'; reason: string; at: Date }
        | { status: 'dead'; error: string; at: Date }
        | { status: 'pending'; error: string; nextAttemptAt: Date; at: Date },
      tx: Executor = db,
    ): Promise<boolean> {
      const set: Partial<OutboxRow> = { status: outcome.status, claimedUntil: null, updatedAt: outcome.at };
      if (outcome.status === 'sent') Object.assign(set, { sentAt: outcome.at, providerId: outcome.providerId, lastError: null });
      if (outcome.status === 'skipped') set.lastError = outcome.reason;
      if (outcome.status === 'dead') set.lastError = outcome.error;
      if (outcome.status === 'pending') Object.assign(set, { lastError: outcome.error, nextAttemptAt: outcome.nextAttemptAt });
      const rows = await tx
        .update(messageOutbox)
        .set(set)
        .where(and(eq(messageOutbox.id, id), eq(messageOutbox.status, 'pending'), eq(messageOutbox.claimedUntil, leaseUntil)))
        .returning({ id: messageOutbox.id });
      return rows.length === 1;
    },

    /** Rows whose last attempt's claimer vanished with no attempt left: given up. */
    async buryAbandoned(now: Date, maxAttempts: number, tx: Executor = db) {
      const rows = await tx
        .update(messageOutbox)
        .set({ status: 'dead', lastError: sql`coalesce(${messageOutbox.lastError}, 'ABANDONED')`, claimedUntil: null, updatedAt: now })
        .where(
          and(
            eq(messageOutbox.status, 'pending'),
            sql`${messageOutbox.attempts} >= ${maxAttempts}`,
            or(sql`${messageOutbox.claimedUntil} IS NULL`, lt(messageOutbox.claimedUntil, now)),
          ),
        )
        .returning({ id: messageOutbox.id });
      return rows.length;
    },

    /** Staff's 消息记录: newest first, in these cities (null: all), optionally of one status. */
    async list(opts: { cities: string[] | null; status?: OutboxRow['status']; before?: { createdAt: Date; id: string }; limit: number }, tx: Executor = db) {
      const conds: SQL[] = [];
      if (opts.cities) conds.push(opts.cities.length ? inArray(messageOutbox.cityCode, opts.cities) : sql`false`);
      if (opts.status) conds.push(eq(messageOutbox.status, opts.status));
      if (opts.before)
        conds.push(
          or(
            lt(messageOutbox.createdAt, opts.before.createdAt),
            and(eq(messageOutbox.createdAt, opts.before.createdAt), lt(messageOutbox.id, opts.before.id)),
          )!,
        );
      const res = await tx.execute(sql`
        SELECT message_outbox.*, u.phone FROM message_outbox LEFT JOIN users u ON u.id = message_outbox.user_id
        ${
          conds.length
            ? sql`WHERE ${sql.join(
                conds.map((c) => sql`(${c})`),
                sql` AND `,
              )}`
            : sql``
        }
        ORDER BY message_outbox.created_at DESC, message_outbox.id DESC LIMIT ${opts.limit}`);
      return (res as { rows: Record<string, unknown>[] }).rows.map(fromRaw);
    },

    async optOuts(userId: string, tx: Executor = db) {
      return tx.select().from(noticeOptOuts).where(eq(noticeOptOuts.userId, userId));
    },

    async setOptOut(userId: string, channel: 'sms' | 'wechat', kind: string, off: boolean, source: 'settings' | 'sms_reply', now: Date, tx: Executor = db) {
      if (off) await tx.insert(noticeOptOuts).values({ userId, channel, kind, source, createdAt: now }).onConflictDoNothing();
      else await tx.delete(noticeOptOuts).where(and(eq(noticeOptOuts.userId, userId), eq(noticeOptOuts.channel, channel), eq(noticeOptOuts.kind, kind)));
    },

    async byId(id: string, tx: Executor = db) {
      const [r] = await tx.select().from(messageOutbox).where(eq(messageOutbox.id, id));
      return r ?? null;
    },

    async ofEvent(eventKey: string, tx: Executor = db) {
      return tx.select().from(messageOutbox).where(eq(messageOutbox.eventKey, eventKey)).orderBy(desc(messageOutbox.createdAt));
    },
  };
}

const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(v as string));

function fromRaw(r: Record<string, unknown>): ClaimedMessage {
  return {
    id: r.id as string,
    eventKey: r.event_key as string,
    userId: r.user_id as string,
    channel: r.channel as OutboxRow['channel'],
    cityCode: (r.city_code as string | null) ?? null,
    kind: r.kind as string,
    title: r.title as string,
    refType: (r.ref_type as string | null) ?? null,
    refId: (r.ref_id as string | null) ?? null,
    status: r.status as OutboxRow['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: date(r.next_attempt_at)!,
    claimedUntil: date(r.claimed_until),
    lastError: (r.last_error as string | null) ?? null,
    providerId: (r.provider_id as string | null) ?? null,
    sentAt: date(r.sent_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    phone: (r.phone as string | null) ?? null,
    openid: (r.openid as string | null) ?? null,
    optedOut: r.opted_out === true || r.opted_out === 't',
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { smsClientSends, smsCodes } from '../../db/schema.ts';

/** SMS sign-in codes and their send limits (migration 0024): every rule is the condition of one statement. */
export function createSmsCodesRepository(db: Executor) {
  return {
    /**
     * Takes one send for the client in its current window (one conditional upsert, like the
     * sign-in throttle): false when the window's sends are used up.
     */
    async takeClientSend(client: string, now: Date, windowMs: number, limit: number, tx: Executor = db): Promise<boolean> {
      const expired = sql`${smsClientSends.windowStartedAt} <= ${new Date(now.getTime() - windowMs)}::timestamptz`;
      const rows = await tx
        .insert(smsClientSends)
        .values({ client, windowStartedAt: now, sends: 1 })
        .onConflictDoUpdate({
          target: smsClientSends.client,
          set: {
            sends: sql`CASE WHEN ${expired} THEN 1 ELSE ${smsClientSends.sends} + 1 END`,
            windowStartedAt: sql`CASE WHEN ${expired} THEN ${now}::timestamptz ELSE ${smsClientSends.windowStartedAt} END`,
          },
          setWhere: sql`${expired} OR ${smsClientSends.sends} < ${limit}`,
        })
        .returning({ client: smsClientSends.client });
      return rows.length === 1;
    },

    async clientWindowOf(client: string, tx: Executor = db): Promise<Date | null> {
      const [row] = await tx.select({ at: smsClientSends.windowStartedAt }).from(smsClientSends).where(eq(smsClientSends.client, client));
      return row?.at ?? null;
    },

    /**
     * Stores a new code for the phone, replacing the one before, only if the last send is at least
     * `gapMs` old and fewer than `perDay` went out on `day` (the phone's China date): one upsert
     * whose row lock serialises racing sends. False when refused.
     */
    async putCode(
      c: { phone: string; purpose: 'login' | 'reset'; codeHash: string; expiresAt: Date; now: Date; day: string; gapMs: number; perDay: number },
      tx: Executor = db,
    ): Promise<boolean> {
      const sameDay = sql`${smsCodes.sendDay} = ${c.day}::date`;
      const rows = await tx
        .insert(smsCodes)
        .values({
          phone: c.phone,
          purpose: c.purpose,
          codeHash: c.codeHash,
          expiresAt: c.expiresAt,
          tries: 0,
          lastSentAt: c.now,
          sendDay: c.day,
          sendsToday: 1,
        })
        .onConflictDoUpdate({
          target: smsCodes.phone,
          set: {
            purpose: c.purpose,
            codeHash: c.codeHash,
            expiresAt: c.expiresAt,
            tries: 0,
            usedAt: null,
            lastSentAt: c.now,
            sendDay: c.day,
            sendsToday: sql`CASE WHEN ${sameDay} THEN ${smsCodes.sendsToday} + 1 ELSE 1 END`,
          },
          setWhere: sql`${smsCodes.lastSentAt} <= ${new Date(c.now.getTime() - c.gapMs)}::timestamptz AND (NOT (${sameDay}) OR ${smsCodes.sendsToday} < ${c.perDay})`,
        })
        .returning({ phone: smsCodes.phone });
      return rows.length === 1;
    },

    /** The phone's send record, to tell a refused sender when to come back. */
    async sendsOf(phone: string, tx: Executor = db) {
      const [row] = await tx
        .select({ lastSentAt: smsCodes.lastSentAt, sendDay: smsCodes.sendDay, sendsToday: smsCodes.sendsToday })
        .from(smsCodes)
        .where(eq(smsCodes.phone, phone));
      return row ?? null;
    },

    /**
     * The provider could not send this code: it is killed and its send given back (the phone may
     * ask again at once). Only this code: a newer one is left alone.
     */
    async giveBack(phone: string, codeHash: string, now: Date, tx: Executor = db) {
      await tx
        .update(smsCodes)
        .set({ usedAt: now, lastSentAt: new Date(0), sendsToday: sql`greatest(${smsCodes.sendsToday} - 1, 0)` })
        .where(and(eq(smsCodes.phone, phone), eq(smsCodes.codeHash, codeHash)));
    },

    /**
     * One try of a code: counts the try and, when the hash matches, marks the code used — in one
     * statement allowed only while the code is unused, unexpired and under `maxTries`, so of racing
     * requests with the right code exactly one gets `ok`. Null when there was no live code to try.
     */
    async tryCode(
      phone: string,
      purpose: 'login' | 'reset',
      codeHash: string,
      now: Date,
      maxTries: number,
      tx: Executor = db,
    ): Promise<{ ok: boolean; tries: number } | null> {
      const [row] = await tx
        .update(smsCodes)
        .set({ tries: sql`${smsCodes.tries} + 1`, usedAt: sql`CASE WHEN ${smsCodes.codeHash} = ${codeHash} THEN ${now}::timestamptz ELSE NULL END` })
        .where(
          and(eq(smsCodes.phone, phone), eq(smsCodes.purpose, purpose), isNull(smsCodes.usedAt), gt(smsCodes.expiresAt, now), lt(smsCodes.tries, maxTries)),
        )
        .returning({ ok: sql<boolean>`${smsCodes.usedAt} IS NOT NULL`, tries: smsCodes.tries });
      return row ?? null;
    },
  };
}

export type SmsCodesRepository = ReturnType<typeof createSmsCodesRepository>;

import { and, eq, gt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { wechatBindings, wechatPendingBinds, wechatTokens } from '../../db/schema.ts';

/** 0034_wechat.sql: openids bound to accounts, the shared access token, and openids waiting for a phone. */
export function createWechatRepository(db: Executor) {
  return {
    async userIdOf(appId: string, openid: string, tx: Executor = db) {
      const [r] = await tx
        .select({ userId: wechatBindings.userId })
        .from(wechatBindings)
        .where(and(eq(wechatBindings.appId, appId), eq(wechatBindings.openid, openid)));
      return r?.userId ?? null;
    },
    async isBound(appId: string, userId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ openid: wechatBindings.openid })
        .from(wechatBindings)
        .where(and(eq(wechatBindings.appId, appId), eq(wechatBindings.userId, userId)));
      return !!r;
    },
    /** Binds the openid to the account: whatever either was bound to before is let go. */
    async bind(appId: string, openid: string, userId: string, unionid: string | null, at: Date, tx: Executor = db) {
      await tx.delete(wechatBindings).where(and(eq(wechatBindings.appId, appId), or(eq(wechatBindings.openid, openid), eq(wechatBindings.userId, userId))));
      await tx.insert(wechatBindings).values({ appId, openid, userId, unionid, createdAt: at });
    },

    async addPending(p: typeof wechatPendingBinds.$inferInsert, tx: Executor = db) {
      await tx.insert(wechatPendingBinds).values(p);
    },
    async pending(ticketHash: string, now: Date, tx: Executor = db) {
      const [r] = await tx
        .select()
        .from(wechatPendingBinds)
        .where(and(eq(wechatPendingBinds.ticketHash, ticketHash), gt(wechatPendingBinds.expiresAt, now)));
      return r ?? null;
    },
    /** Uses the ticket up (once): the row as it was, or null when it was used or expired meanwhile. */
    async takePending(ticketHash: string, now: Date, tx: Executor = db) {
      const [r] = await tx
        .delete(wechatPendingBinds)
        .where(and(eq(wechatPendingBinds.ticketHash, ticketHash), gt(wechatPendingBinds.expiresAt, now)))
        .returning();
      return r ?? null;
    },

    async token(appId: string, tx: Executor = db) {
      const [r] = await tx.select().from(wechatTokens).where(eq(wechatTokens.appId, appId));
      return r ?? null;
    },
    /**
     * The refresh, one process at a time: the token row is held FOR UPDATE while `fetch` runs, so a
     * second process waits and then reads the new token instead of fetching another (a new token
     * ends the old one after 5 minutes, and WeChat allows 2000 fetches a day).
     */
    async refreshToken(
      appId: string,
      fresh: (row: { accessToken: string; expiresAt: Date } | null) => boolean,
      fetch: () => Promise<{ accessToken: string; expiresAt: Date; fetchedAt: Date }>,
    ) {
      return db.transaction(async (tx) => {
        await tx
          .insert(wechatTokens)
          .values({ appId, accessToken: '', expiresAt: new Date(0), fetchedAt: new Date(0) })
          .onConflictDoNothing();
        const res = await tx.execute(sql`SELECT access_token, expires_at FROM wechat_tokens WHERE app_id = ${appId} FOR UPDATE`);
        const row = (res as { rows: { access_token: string; expires_at: Date | string }[] }).rows[0]!;
        const current = { accessToken: row.access_token, expiresAt: new Date(row.expires_at) };
        if (fresh(current)) return current.accessToken;
        const t = await fetch();
        await tx.update(wechatTokens).set(t).where(eq(wechatTokens.appId, appId));
        return t.accessToken;
      });
    },
  };
}

export type WechatRepository = ReturnType<typeof createWechatRepository>;

import { isOptionalNoticeKind } from '@wenming/contracts';
import { maskPhone } from '@wenming/domain';
import type { Channel, OutboundMessage } from '../../lib/channels.ts';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository.ts';

/** How long a claimed message is the claimer's: far beyond a provider call's time limit (10 s). */
const LEASE_MS = 120_000;

/** The wait before attempt n+1 after n failed ones: 30 s, 1, 2, 4 … minutes, at most an hour. */
export function backoffMs(failedAttempts: number) {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

export interface OutboxDeps {
  outbox: OutboxRepository;
  channels: Channel[];
  maxAttempts: number;
  clock?: () => Date;
  log?: (line: string) => void;
  /** The 公众号 whose openids the wechat channel sends to (null: none configured). */
  wechatAppId?: string | null;
  /** The H5 address of what a message is about (for WeChat's link). */
  linkFor?: (refType: string | null, refId: string | null) => string | null;
}

/**
 * Sends what the outbox holds (docs/channels.md "Delivery"). Every process may run it at once:
 * rows are claimed in the database. A provider failure leaves the row for a later attempt with
 * backoff, and after maxAttempts it is dead; a process that dies mid-send leaves a lease that runs
 * out, and the row is sent by whoever claims it next. Nothing here ever throws at its caller.
 */
export function createOutbox(deps: OutboxDeps) {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const byName = new Map(deps.channels.map((c) => [c.name, c]));

  async function attempt(m: ClaimedMessage, leaseUntil: Date): Promise<ClaimedMessage['status']> {
    const settle = async (o: Parameters<OutboxRepository['settle']>[2]) => {
      await deps.outbox.settle(m.id, leaseUntil, o);
      return o.status;
    };
    const channel = byName.get(m.channel);
    if (!channel) return settle({ status: 'skipped', reason: 'NOT_CONFIGURED', at: now() });
    if (!m.phone) return settle({ status: 'skipped', reason: 'NO_ACCOUNT', at: now() });
    if (m.optedOut && isOptionalNoticeKind(m.kind)) return settle({ status: 'skipped', reason: 'OPTED_OUT', at: now() });
    const message: OutboundMessage = {
      phone: m.phone,
      openid: m.openid,
      kind: m.kind,
      title: m.title,
      at: m.createdAt,
      link: deps.linkFor?.(m.refType, m.refId) ?? null,
    };
    try {
      const r = await channel.send(message);
      if (r && 'skipped' in r) return settle({ status: 'skipped', reason: r.skipped, at: now() });
      return settle({ status: 'sent', providerId: r?.providerId ?? null, at: now() });
    } catch (e) {
      const code = errorCode(e);
      const at = now();
      if (m.attempts >= deps.maxAttempts) {
        log(`[outbox] ${m.channel} ${m.kind} ${maskPhone(m.phone)} 放弃（${m.attempts}次）: ${code}`);
        return settle({ status: 'dead', error: code, at });
      }
      return settle({ status: 'pending', error: code, nextAttemptAt: new Date(at.getTime() + backoffMs(m.attempts)), at });
    }
  }

  async function run(eventKeys?: string[], at?: Date) {
    const counts = { sent: 0, skipped: 0, failed: 0, dead: 0 };
    for (;;) {
      const t = at ?? now();
      const leaseUntil = new Date(t.getTime() + LEASE_MS);
      const batch = await deps.outbox.claim({ now: t, leaseUntil, limit: 50, maxAttempts: deps.maxAttempts, eventKeys, appId: deps.wechatAppId });
      for (const m of batch) {
        const status = await attempt(m, leaseUntil);
        if (status === 'sent') counts.sent++;
        else if (status === 'skipped') counts.skipped++;
        else if (status === 'dead') counts.dead++;
        else counts.failed++;
      }
      if (batch.length < 50) break;
    }
    return counts;
  }

  return {
    /** Sends every due message (the job); `at` stands for "now" (a test moving past a backoff). */
    async deliverDue(opts: { at?: Date } = {}) {
      const counts = await run(undefined, opts.at);
      counts.dead += await deps.outbox.buryAbandoned(opts.at ?? now(), deps.maxAttempts);
      return counts;
    },
    /** Tries at once the messages of events that just committed (the job retries what fails). */
    async deliverEvents(eventKeys: string[]) {
      if (!eventKeys.length) return { sent: 0, skipped: 0, failed: 0, dead: 0 };
      try {
        return await run(eventKeys);
      } catch (e) {
        log(`[outbox] 即时发送失败，稍后重试: ${errorCode(e)}`);
        return { sent: 0, skipped: 0, failed: 0, dead: 0 };
      }
    },
  };
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code).slice(0, 80) : 'ERROR';
}

export type Outbox = ReturnType<typeof createOutbox>;

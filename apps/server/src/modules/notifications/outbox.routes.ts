import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NOTICE_KINDS, OUTBOX_STATUSES, ZNoticeSettingBody, type TNoticeSettings, type TOutboxItem } from '@wenming/contracts';
import { maskPhone } from '@wenming/domain';
import { forbidden, notFound } from '../../lib/errors.ts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { requireActor, type Actor } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository.ts';

/**
 * 消息记录 (staff: what went out by SMS / WeChat, masked) and 消息设置 (each person: which kinds
 * they receive by SMS / WeChat). docs/channels.md "Delivery" and "Turning notices off".
 */
export function outboxRoutes(app: FastifyInstance, deps: { outbox: OutboxRepository; clock?: () => Date; wechatBound?: (userId: string) => Promise<boolean> }) {
  const r = typed(app);
  const now = deps.clock ?? (() => new Date());

  /** The cities whose messages the actor sees: all (admin), the cities of their org_admin grants, or none (403). */
  const citiesOf = (actor: Actor): string[] | null => {
    if (actor.isAdmin) return null;
    const cities = [...new Set(actor.grants.filter((g) => g.role === 'org_admin').map((g) => g.cityCode))];
    if (!cities.length) throw forbidden({ zh: '只有管理员可以查看消息记录', en: 'Only administrators see the message log' });
    return cities;
  };

  r.get(`${API}/message-outbox`, {
    schema: {
      tags: ['notifications'],
      security: SECURED,
      summary: '消息记录：短信、微信消息的发送情况（待发送/已发送/已跳过/已放弃），手机号已脱敏；超级管理员看全部，阵地管理员看本市',
      querystring: z.object({ status: z.enum(OUTBOX_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    handler: async (req) => {
      const cities = citiesOf(requireActor(req.ctx));
      const rows = await deps.outbox.list({ cities, status: req.query.status, limit: req.query.limit });
      return { items: rows.map(presentOutbox), nextCursor: null };
    },
  });

  const settings = async (userId: string): Promise<TNoticeSettings> => {
    const off = await deps.outbox.optOuts(userId);
    const isOff = (channel: 'sms' | 'wechat', kind: string) => off.some((o) => o.channel === channel && o.kind === kind);
    const smsRepliedStop = off.some((o) => o.channel === 'sms' && o.kind === '*');
    return {
      items: NOTICE_KINDS.map((k) => ({
        kind: k.kind,
        label: k.label,
        optional: k.optional,
        sms: !k.optional || (!isOff('sms', k.kind) && !smsRepliedStop),
        wechat: !k.optional || (!isOff('wechat', k.kind) && !isOff('wechat', '*')),
      })),
      smsRepliedStop,
      wechatBound: (await deps.wechatBound?.(userId)) ?? false,
    };
  };

  r.get(`${API}/me/notice-settings`, {
    schema: { tags: ['notifications'], security: SECURED, summary: '我的消息设置：每类通知是否发短信、微信（工作类通知不可关闭）' },
    handler: async (req) => settings(requireActor(req.ctx).userId),
  });

  r.put(`${API}/me/notice-settings`, {
    schema: {
      tags: ['notifications'],
      security: SECURED,
      summary: '开启或关闭一类通知的短信/微信；开启短信也撤销“回复TD退订”',
      body: ZNoticeSettingBody,
    },
    handler: async (req) => {
      const actor = requireActor(req.ctx);
      const { kind, channel, enabled } = req.body;
      await deps.outbox.setOptOut(actor.userId, channel, kind, !enabled, 'settings', now());
      // Turning a kind back on by SMS after a TD reply: the person asked for it; the other kinds stay off.
      if (enabled && channel === 'sms') {
        const off = await deps.outbox.optOuts(actor.userId);
        if (off.some((o) => o.channel === 'sms' && o.kind === '*')) {
          for (const k of NOTICE_KINDS) if (k.optional && k.kind !== kind) await deps.outbox.setOptOut(actor.userId, 'sms', k.kind, true, 'sms_reply', now());
          await deps.outbox.setOptOut(actor.userId, 'sms', '*', false, 'sms_reply', now());
        }
      }
      return settings(actor.userId);
    },
  });
}

/** What a reply to a text message means "stop" in (回复TD退订; the providers' and carriers' usual words). */
const STOP_WORDS = new Set(['TD', 'T', 'N', '退订', '退定', '取消']);

export function isStopReply(text: string) {
  return STOP_WORDS.has(text.trim().toUpperCase());
}

/**
 * Replies to our text messages (上行短信), pushed by the provider: Tencent Cloud SMS posts one
 * reply as JSON (`mobile`, `nationcode`, `text`, `sign`, `time`, `extend`) and wants
 * `{ result: 0, errmsg: 'OK' }`; Aliyun's HTTP batch push posts an array of replies (`phone_number`,
 * `content`, `send_time`, `sign_name`, `dest_code`, `sequence_id`) and wants `{ code: 0, msg: '成功' }`.
 */
const ZTencentReply = z
  .object({ mobile: z.string().max(32), nationcode: z.string().max(8).optional(), text: z.string().max(500), time: z.number().optional() })
  .loose();
const ZAliyunReplies = z.array(z.object({ phone_number: z.string().max(32), content: z.string().max(500) }).loose()).max(1000);

export function smsReplyRoutes(
  app: FastifyInstance,
  deps: {
    outbox: OutboxRepository;
    secret?: string;
    userIdByPhone: (phone: string) => Promise<string | null>;
    clock?: () => Date;
    log?: (line: string) => void;
  },
) {
  const r = typed(app);
  const now = deps.clock ?? (() => new Date());
  r.post(`${API}/sms/replies/:secret`, {
    schema: {
      tags: ['notifications'],
      summary: '短信上行回调（腾讯云：单条 JSON；阿里云：HTTP 批量推送）：回复 TD/退订 即关闭可关闭的短信通知；路径中的密钥为 SMS_REPLY_SECRET，未设置时不可用',
      params: z.object({ secret: z.string().max(200) }),
      body: z.union([ZTencentReply, ZAliyunReplies]),
    },
    // The provider calls it: no session; the secret in the path is the credential.
    config: { public: true },
    handler: async (req, reply) => {
      const secret = deps.secret;
      const given = Buffer.from(req.params.secret);
      if (!secret || given.length !== Buffer.byteLength(secret) || !crypto.timingSafeEqual(given, Buffer.from(secret)))
        throw notFound({ zh: '未找到', en: 'Not found' });
      const replies = Array.isArray(req.body)
        ? req.body.map((x) => ({ phone: x.phone_number, text: x.content }))
        : [{ phone: req.body.mobile, text: req.body.text }];
      for (const m of replies) {
        if (!isStopReply(m.text)) continue;
        const phone = m.phone.replace(/^\+?86(?=1\d{10}$)/, '');
        const userId = await deps.userIdByPhone(phone);
        if (!userId) continue;
        await deps.outbox.setOptOut(userId, 'sms', '*', true, 'sms_reply', now());
        deps.log?.(`[sms] ${maskPhone(phone)} 回复退订，已关闭可关闭的短信通知`);
      }
      return Array.isArray(req.body) ? reply.send({ code: 0, msg: '成功' }) : reply.send({ result: 0, errmsg: 'OK' });
    },
  });
}

export function presentOutbox(m: ClaimedMessage): TOutboxItem {
  return {
    id: m.id,
    channel: m.channel,
    kind: m.kind,
    title: m.title,
    recipient: m.phone ? maskPhone(m.phone) : '（已注销）',
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    nextAttemptAt: m.status === 'pending' ? toIso(m.nextAttemptAt) : null,
    sentAt: m.sentAt ? toIso(m.sentAt) : null,
    createdAt: toIso(m.createdAt),
  };
}

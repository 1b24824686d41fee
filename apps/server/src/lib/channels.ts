import { NOTICE_KINDS } from '@wenming/contracts';
import { maskPhone } from '@wenming/domain';
import { SmsError, type SmsSender } from './sms/sms.ts';

/**
 * Notification channels beyond the in-app inbox and SSE: SMS and WeChat template messages.
 * Real providers plug in here; until one is configured the adapter writes what it would send
 * to the log, so nothing silently disappears.
 */
export interface OutboundMessage {
  phone: string;
  title: string;
  body?: string | null;
  kind: string;
  /** The recipient's WeChat openid, when bound (the wechat channel sends only to these). */
  openid?: string | null;
  /** The H5 page the message is about (an order, activity, booking), as an absolute URL. */
  link?: string | null;
  /** When the event happened. */
  at?: Date;
}

/**
 * What became of a message: nothing (sent), sent with the provider's id, or not sent on purpose
 * (no template for this kind, recipient not reachable on the channel) with the reason. A failure
 * that may pass (provider down, refusal) is thrown: the outbox tries again later.
 */
export type SendResult = void | { providerId: string | null } | { skipped: string };

export interface Channel {
  name: 'sms' | 'wechat';
  send(m: OutboundMessage): Promise<SendResult>;
}

export function loggingChannel(name: Channel['name'], log: (line: string) => void): Channel {
  return {
    name,
    async send(m) {
      // The kind and title only (title: a code such as 新派单 D2612070004): the body quotes what a
      // resident wrote (their address, their illness), which does not belong in a log.
      log(`[${name}:未配置，仅记录] ${maskPhone(m.phone)} ${m.kind} ${m.title}`);
      // Nobody received it: the outbox records it as not sent (消息记录 says 仅记录在日志), not as delivered.
      return { skipped: 'LOG_ONLY' };
    },
  };
}

/**
 * Notices by text message through the configured SMS provider: a kind goes out only when the
 * provider has a template for it (the log provider logs every kind), with the notice's title as
 * the template's one variable. A refusal is the caller's to swallow (it must never fail a request).
 */
export function smsChannel(sender: SmsSender, log: (line: string) => void = () => undefined): Channel {
  return {
    name: 'sms',
    async send(m) {
      if (!sender.handles(m.kind)) return { skipped: 'NO_TEMPLATE' };
      try {
        const r = await sender.send({ phone: m.phone, kind: m.kind, params: [['title', m.title]] });
        return sender.provider === 'log' ? { skipped: 'LOG_ONLY' } : { providerId: r.id };
      } catch (e) {
        // The provider's code only (e.g. isv.BUSINESS_LIMIT_CONTROL): never the message or the full phone.
        log(`[sms] ${m.kind} 未发出 ${maskPhone(m.phone)}: ${e instanceof SmsError ? e.code : 'ERROR'}`);
        throw e;
      }
    },
  };
}

/** Which notices also go out by SMS / WeChat (through the outbox): the kinds of NOTICE_KINDS. */
export const EXTERNAL_KINDS: ReadonlySet<string> = new Set(NOTICE_KINDS.map((k) => k.kind));

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
}

export interface Channel {
  name: 'sms' | 'wechat';
  send(m: OutboundMessage): Promise<void>;
}

export function loggingChannel(name: Channel['name'], log: (line: string) => void): Channel {
  return {
    name,
    async send(m) {
      // The kind and title only (title: a code such as 新派单 D2612070004): the body quotes what a
      // resident wrote (their address, their illness), which does not belong in a log.
      log(`[${name}:未配置，仅记录] ${maskPhone(m.phone)} ${m.kind} ${m.title}`);
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
      if (!sender.handles(m.kind)) return;
      try {
        await sender.send({ phone: m.phone, kind: m.kind, params: [['title', m.title]] });
      } catch (e) {
        // The provider's code only (e.g. isv.BUSINESS_LIMIT_CONTROL): never the message or the full phone.
        log(`[sms] ${m.kind} 未发出 ${maskPhone(m.phone)}: ${e instanceof SmsError ? e.code : 'ERROR'}`);
        throw e;
      }
    },
  };
}

/** Which notices also go out by SMS / WeChat: the ones somebody must act on soon. */
export const EXTERNAL_KINDS = new Set(['order.dispatched', 'order.escalated', 'order.reminder', 'order.completed']);

import { maskPhone } from '@wenming/domain';

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

/** Which notices also go out by SMS / WeChat: the ones somebody must act on soon. */
export const EXTERNAL_KINDS = new Set(['order.dispatched', 'order.escalated', 'order.reminder', 'order.completed']);

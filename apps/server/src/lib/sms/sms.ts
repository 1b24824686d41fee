import { maskPhone } from '@wenming/domain';

/**
 * Text messages (短信) through a provider's documented API (docs/channels.md). One sender per
 * process, chosen by SMS_PROVIDER: `log` (default: writes to the server log), `aliyun` (Alibaba
 * Cloud SMS SendSms) or `tencent` (Tencent Cloud SMS SendSms, TC3-HMAC-SHA256).
 */

/** What a message is about; each kind has its own provider template (SMS_TEMPLATE_<KIND>). */
export const SMS_KINDS = [
  'verification',
  'order.dispatched',
  'order.escalated',
  'order.reminder',
  'order.completed',
  'order.forwarded',
  'order.supervised',
  'booking.approve',
  'booking.reject',
  'booking.reminder',
  'activity.reminder',
] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

/** The template's variables, in order: named for Aliyun (`${code}`), positional for Tencent ({1}). */
export type SmsParams = [name: string, value: string][];

export interface SmsMessage {
  phone: string;
  kind: SmsKind;
  params: SmsParams;
}

export interface SmsSender {
  readonly provider: 'log' | 'aliyun' | 'tencent';
  /** Whether this kind goes out by SMS at all (a real provider needs a template for it). */
  handles(kind: string): kind is SmsKind;
  /** Sends one message; resolves with the provider's id of it, or rejects with an SmsError. */
  send(m: SmsMessage): Promise<{ id: string | null }>;
}

/** The provider refused or could not be reached; `code` is the provider's own (e.g. isv.BUSINESS_LIMIT_CONTROL). */
export class SmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export type SmsTemplates = Partial<Record<SmsKind, string>>;

export const isSmsKind = (k: string): k is SmsKind => (SMS_KINDS as readonly string[]).includes(k);

/**
 * The development default: nothing is sent, a line is logged with the phone masked. The code of
 * a verification message is printed only when `showCodes` (WENMING_SEED=demo), so a developer can
 * sign in; a notice logs its kind and title only (its body may quote what a resident wrote).
 */
export function logSms(log: (line: string) => void, opts: { showCodes: boolean }): SmsSender {
  return {
    provider: 'log',
    handles: isSmsKind,
    async send(m) {
      const shown = m.kind === 'verification' ? (opts.showCodes ? `验证码 ${m.params[0]?.[1]}` : '验证码（不显示）') : m.params.map(([, v]) => v).join(' ');
      log(`[sms:未配置，仅记录] ${maskPhone(m.phone)} ${m.kind} ${shown}`);
      return { id: null };
    },
  };
}

/** Posts/gets with a time limit: a hung provider must not hold a request (or a job) for long. */
export async function providerFetch(url: string, init: RequestInit, timeoutMs = 10_000): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new SmsError('NETWORK', (e as Error).message);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new SmsError(`HTTP_${res.status}`, text.slice(0, 200));
  }
}

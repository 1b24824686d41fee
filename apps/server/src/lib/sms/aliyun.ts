import crypto from 'node:crypto';
import { providerFetch, SmsError, type SmsKind, type SmsSender, type SmsTemplates, isSmsKind } from './sms.ts';

/**
 * Alibaba Cloud SMS (阿里云短信服务), API version 2017-05-25, action SendSms, RPC style with the
 * documented signature version 1.0: every parameter (but Signature) sorted by name, names and
 * values percent-encoded (RFC 3986: only A–Z a–z 0–9 - _ . ~ left as they are), joined with & and
 * =; StringToSign = METHOD & %2F & percentEncode(that); Signature = base64(HMAC-SHA1(secret + "&",
 * StringToSign)). Answer: `{ Code: "OK", BizId, RequestId }`, or another Code and a Message.
 */
export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string and the signature of a parameter set, as Aliyun documents them. */
export function aliyunSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

export function aliyunSms(opts: {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: SmsTemplates;
  endpoint?: string;
  regionId?: string;
  clock?: () => Date;
}): SmsSender {
  const endpoint = opts.endpoint ?? ALIYUN_SMS_ENDPOINT;
  const now = opts.clock ?? (() => new Date());
  return {
    provider: 'aliyun',
    handles: (kind: string): kind is SmsKind => isSmsKind(kind) && !!opts.templates[kind],
    async send(m) {
      const template = opts.templates[m.kind];
      if (!template) throw new SmsError('NO_TEMPLATE', `no template for ${m.kind}`);
      const params: Record<string, string> = {
        AccessKeyId: opts.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: m.phone,
        RegionId: opts.regionId ?? 'cn-hangzhou',
        SignName: opts.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: crypto.randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: template,
        TemplateParam: JSON.stringify(Object.fromEntries(m.params)),
        Timestamp: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      params.Signature = aliyunSignature('POST', params, opts.accessKeySecret);
      const body = Object.entries(params)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join('&');
      const res = await providerFetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const answer = (res.body ?? {}) as { Code?: string; Message?: string; BizId?: string };
      if (answer.Code !== 'OK') throw new SmsError(answer.Code ?? `HTTP_${res.status}`, answer.Message ?? '');
      return { id: answer.BizId ?? null };
    },
  };
}

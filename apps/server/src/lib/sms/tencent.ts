import crypto from 'node:crypto';
import { providerFetch, SmsError, type SmsKind, type SmsSender, type SmsTemplates, isSmsKind } from './sms.ts';

/**
 * Tencent Cloud SMS (腾讯云短信), API version 2021-01-11, action SendSms, signed with
 * TC3-HMAC-SHA256 as Tencent Cloud documents it (签名方法 v3):
 *   CanonicalRequest = POST \n / \n (empty query) \n content-type:…\nhost:…\n \n content-type;host \n hex(sha256(body))
 *   StringToSign     = TC3-HMAC-SHA256 \n timestamp \n date/sms/tc3_request \n hex(sha256(CanonicalRequest))
 *   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), "sms"), "tc3_request")
 *   Authorization    = TC3-HMAC-SHA256 Credential=SecretId/date/sms/tc3_request, SignedHeaders=content-type;host, Signature=hex(HMAC(key, StringToSign))
 * Answer: `{ Response: { SendStatusSet: [{ Code: "Ok", SerialNo }], RequestId } }` or `{ Response: { Error: { Code, Message } } }`.
 */
export const TENCENT_SMS_ENDPOINT = 'https://sms.tencentcloudapi.com/';
const CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', key).update(s).digest();

export function tc3Authorization(a: { secretId: string; secretKey: string; host: string; service: string; timestamp: number; payload: string }): string {
  const date = new Date(a.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalRequest = ['POST', '/', '', `content-type:${CONTENT_TYPE}\nhost:${a.host}\n`, 'content-type;host', sha256(a.payload)].join('\n');
  const scope = `${date}/${a.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(a.timestamp), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${a.secretKey}`, date), a.service), 'tc3_request');
  const signature = crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${a.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

export function tencentSms(opts: {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templates: SmsTemplates;
  endpoint?: string;
  region?: string;
  clock?: () => Date;
}): SmsSender {
  const endpoint = opts.endpoint ?? TENCENT_SMS_ENDPOINT;
  const now = opts.clock ?? (() => new Date());
  return {
    provider: 'tencent',
    handles: (kind: string): kind is SmsKind => isSmsKind(kind) && !!opts.templates[kind],
    async send(m) {
      const template = opts.templates[m.kind];
      if (!template) throw new SmsError('NO_TEMPLATE', `no template for ${m.kind}`);
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${m.phone}`],
        SmsSdkAppId: opts.sdkAppId,
        SignName: opts.signName,
        TemplateId: template,
        TemplateParamSet: m.params.map(([, v]) => v),
      });
      const timestamp = Math.floor(now().getTime() / 1000);
      const host = new URL(endpoint).host;
      const res = await providerFetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: tc3Authorization({ secretId: opts.secretId, secretKey: opts.secretKey, host, service: 'sms', timestamp, payload }),
          'content-type': CONTENT_TYPE,
          'x-tc-action': 'SendSms',
          'x-tc-timestamp': String(timestamp),
          'x-tc-version': '2021-01-11',
          'x-tc-region': opts.region ?? 'ap-guangzhou',
        },
        body: payload,
      });
      const answer = (
        (res.body ?? {}) as { Response?: { Error?: { Code: string; Message: string }; SendStatusSet?: { Code: string; Message: string; SerialNo?: string }[] } }
      ).Response;
      if (!answer) throw new SmsError(`HTTP_${res.status}`, 'no Response');
      if (answer.Error) throw new SmsError(answer.Error.Code, answer.Error.Message);
      const status = answer.SendStatusSet?.[0];
      if (!status || status.Code !== 'Ok') throw new SmsError(status?.Code ?? 'NO_STATUS', status?.Message ?? '');
      return { id: status.SerialNo ?? null };
    },
  };
}

import type { Channel } from '../channels.ts';

/**
 * WeChat 公众号 (服务号) through its documented HTTP API (docs/channels.md "WeChat"):
 * - the access token: `GET /cgi-bin/token?grant_type=client_credential&appid&secret`;
 * - 网页授权: the person is sent to `open.weixin.qq.com/connect/oauth2/authorize` and comes back with
 *   a code, exchanged once for the openid at `GET /sns/oauth2/access_token`; with `snsapi_userinfo`
 *   the nickname from `GET /sns/userinfo`;
 * - 模板消息: `POST /cgi-bin/message/template/send?access_token=…`.
 * Every answer with a non-zero `errcode` is a WechatError carrying it (e.g. 40029 invalid code,
 * 40001 invalid credential, 43004 the person does not follow the 公众号).
 */
export interface WechatSettings {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com (WECHAT_API_BASE points elsewhere: a proxy, the tests' fake). */
  apiBase: string;
  /** https://open.weixin.qq.com (WECHAT_OPEN_BASE). */
  openBase: string;
}

export class WechatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Error codes that say the access token is no longer good: refresh it once and try again. */
export const TOKEN_ERRORS = new Set(['40001', '40014', '42001']);

async function call<T>(url: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new WechatError('NETWORK', (e as Error).message);
  }
  const text = await res.text();
  let body: { errcode?: number; errmsg?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new WechatError(`HTTP_${res.status}`, text.slice(0, 200));
  }
  if (body.errcode) throw new WechatError(String(body.errcode), body.errmsg ?? '');
  if (!res.ok) throw new WechatError(`HTTP_${res.status}`, body.errmsg ?? '');
  return body as T;
}

export function wechatApi(s: WechatSettings) {
  const api = (path: string, q: Record<string, string>) => `${s.apiBase.replace(/\/+$/, '')}${path}?${new URLSearchParams(q).toString()}`;
  return {
    appId: s.appId,
    /** Where to send the person to authorise (网页授权); WeChat sends them to redirectUri?code=…&state=…. */
    authorizeUrl(redirectUri: string, scope: 'snsapi_base' | 'snsapi_userinfo', state: string) {
      const q = new URLSearchParams({ appid: s.appId, redirect_uri: redirectUri, response_type: 'code', scope, state });
      return `${s.openBase.replace(/\/+$/, '')}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
    },
    async fetchAccessToken() {
      const r = await call<{ access_token: string; expires_in: number }>(
        api('/cgi-bin/token', { grant_type: 'client_credential', appid: s.appId, secret: s.appSecret }),
      );
      return { accessToken: r.access_token, expiresIn: r.expires_in };
    },
    async exchangeCode(code: string) {
      const r = await call<{ access_token: string; openid: string; scope: string; unionid?: string }>(
        api('/sns/oauth2/access_token', { appid: s.appId, secret: s.appSecret, code, grant_type: 'authorization_code' }),
      );
      return { snsToken: r.access_token, openid: r.openid, scope: r.scope, unionid: r.unionid ?? null };
    },
    async userInfo(snsToken: string, openid: string) {
      const r = await call<{ openid: string; nickname?: string; unionid?: string }>(api('/sns/userinfo', { access_token: snsToken, openid, lang: 'zh_CN' }));
      return { nickname: r.nickname ?? null, unionid: r.unionid ?? null };
    },
    async sendTemplate(accessToken: string, m: { touser: string; templateId: string; url?: string | null; data: Record<string, { value: string }> }) {
      const r = await call<{ msgid: number }>(api('/cgi-bin/message/template/send', { access_token: accessToken }), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: m.touser, template_id: m.templateId, ...(m.url ? { url: m.url } : {}), data: m.data }),
      });
      return { msgid: String(r.msgid) };
    },
  };
}

export type WechatApi = ReturnType<typeof wechatApi>;

/** The access token as the database shares it between processes (modules/wechat). `stale`: the token a call refused. */
export interface AccessTokens {
  get(opts?: { stale?: string }): Promise<string>;
}

/** Which template a notice kind goes out with: WECHAT_TEMPLATE_ORDER / _BOOKING / _ACTIVITY by the kind's first part. */
export type WechatTemplates = Partial<Record<'order' | 'booking' | 'activity', string>>;

/** WeChat "thing" fields hold at most 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
export const templateTime = (d: Date) => {
  const p = Object.fromEntries(TIME.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
};

/**
 * Template messages to bound openids. Each registered template has two fields: `thing1` (the
 * notice, at most 20 characters) and `time2` (when it happened); the message links to the H5 page
 * of the order / activity / booking. A refused token is refreshed once; a person who does not follow
 * the 公众号 (43004) or an unknown openid (40003) is skipped with that reason, not retried.
 */
export function wechatChannel(api: WechatApi, tokens: AccessTokens, templates: WechatTemplates): Channel {
  return {
    name: 'wechat',
    async send(m) {
      if (!m.openid) return { skipped: 'NOT_BOUND' };
      const templateId = templates[m.kind.split('.')[0] as keyof WechatTemplates];
      if (!templateId) return { skipped: 'NO_TEMPLATE' };
      const message = {
        touser: m.openid,
        templateId,
        url: m.link,
        data: { thing1: { value: thing(m.title) }, time2: { value: templateTime(m.at ?? new Date()) } },
      };
      const attempt = async (token: string): Promise<{ providerId: string } | { skipped: string }> => {
        try {
          return { providerId: (await api.sendTemplate(token, message)).msgid };
        } catch (e) {
          if (e instanceof WechatError && e.code === '43004') return { skipped: 'NOT_SUBSCRIBED' };
          if (e instanceof WechatError && e.code === '40003') return { skipped: 'INVALID_OPENID' };
          throw e;
        }
      };
      const token = await tokens.get();
      try {
        return await attempt(token);
      } catch (e) {
        if (!(e instanceof WechatError && TOKEN_ERRORS.has(e.code))) throw e;
        // The token was refused (expired early, or replaced by a fetch elsewhere): refresh once, try once more.
        return attempt(await tokens.get({ stale: token }));
      }
    },
  };
}

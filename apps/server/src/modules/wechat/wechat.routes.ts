import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ZWechatBindBody, ZWechatOauthQuery, ZWechatSignInBody } from '@wenming/contracts';
import type { Config } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';
import { API, typed } from '../../lib/http.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../plugins/auth.ts';
import type { Wechat } from './wechat.service.ts';

/** WeChat 公众号 网页授权 sign-in (docs/channels.md "WeChat"); all three answer 404 where no 公众号 is configured. */
export function wechatRoutes(app: FastifyInstance, deps: { wechat: Wechat | null; config: Config }) {
  const r = typed(app);
  const cookieOpts = { path: '/', sameSite: 'lax' as const, secure: deps.config.COOKIE_SECURE, maxAge: deps.config.SESSION_TTL_HOURS * 3600 };
  const setCookies = (reply: FastifyReply, token: string, csrf: string) => {
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOpts, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, csrf, { ...cookieOpts, httpOnly: false });
  };
  const configured = () => {
    if (!deps.wechat) throw new AppError('NOT_FOUND', { zh: '本平台未开通微信公众号登录，请用短信验证码登录', en: 'WeChat sign-in is not configured' });
    return deps.wechat;
  };

  r.get(`${API}/wechat/oauth-url`, {
    schema: {
      tags: ['auth'],
      summary: '微信网页授权地址：在微信内打开 H5 时跳转到此地址，授权后回到 /wechat-login?next=…&code=…&state=…（state 由页面核对）',
      querystring: ZWechatOauthQuery,
    },
    config: { public: true },
    handler: async (req) => {
      const wechat = configured();
      const base = deps.config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.host}`;
      const state = crypto.randomBytes(12).toString('base64url');
      const back = `${base}/wechat-login?next=${encodeURIComponent(req.query.next)}`;
      return { url: wechat.authorizeUrl(back, req.query.scope, state), state };
    },
  });

  r.post(`${API}/wechat/sign-in`, {
    schema: {
      tags: ['auth'],
      summary: '微信网页授权登录：用授权 code 换取 openid；已绑定账号即登录（status: signed_in），否则返回 ticket，凭短信验证码绑定（status: bind_required）',
      body: ZWechatSignInBody,
    },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await configured().signIn(req.body.code, { ...req.ctx, userAgent: req.headers['user-agent'] });
      if (res.session) setCookies(reply, res.session.token, res.session.csrfToken);
      return reply.send(res.body);
    },
  });

  r.post(`${API}/wechat/bind`, {
    schema: {
      tags: ['auth'],
      summary: '绑定微信：凭 sign-in 给的 ticket（10分钟内、一次）和手机短信验证码登录（无账号时注册，需 consent），并把微信 openid 绑定到该账号',
      body: ZWechatBindBody,
    },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await configured().bind(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] });
      setCookies(reply, res.token, res.csrfToken);
      return reply.send(res.body);
    },
  });
}

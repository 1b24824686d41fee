import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ZActivateBody,
  ZChangePasswordBody,
  ZLoginBody,
  ZPasswordResetBody,
  ZRegisterBody,
  ZSmsCodeBody,
  ZSmsLoginBody,
  ZUpdateMeBody,
} from '@wenming/contracts';
import type { Config } from '../../config.ts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { CSRF_COOKIE, SESSION_COOKIE, signedIn } from '../../plugins/auth.ts';
import type { AuthService } from './auth.service.ts';

export function authRoutes(app: FastifyInstance, deps: { auth: AuthService; config: Config }) {
  const r = typed(app);
  const cookieOpts = { path: '/', sameSite: 'lax' as const, secure: deps.config.COOKIE_SECURE, maxAge: deps.config.SESSION_TTL_HOURS * 3600 };
  const setCookies = (reply: FastifyReply, token: string, csrf: string) => {
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOpts, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, csrf, { ...cookieOpts, httpOnly: false });
  };

  r.post(`${API}/auth/register`, {
    schema: { tags: ['auth'], summary: '注册（手机号）', body: ZRegisterBody },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await deps.auth.register(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] });
      setCookies(reply, res.token, res.csrfToken);
      return reply.status(201).send(res.body);
    },
  });

  r.post(`${API}/auth/login`, {
    schema: { tags: ['auth'], summary: '登录', body: ZLoginBody },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await deps.auth.login(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] });
      setCookies(reply, res.token, res.csrfToken);
      return reply.status(200).send(res.body);
    },
  });

  r.post(`${API}/auth/sms-codes`, {
    schema: {
      tags: ['auth'],
      summary: '获取短信验证码（login 登录/注册，reset 找回密码）；无论手机号是否已注册都答 202；同一手机号60秒1次、每天10次，同一客户端每小时20次，超出 429',
      body: ZSmsCodeBody,
    },
    config: { public: true },
    handler: async (req, reply) => reply.status(202).send(await deps.auth.sendCode(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] })),
  });

  r.post(`${API}/auth/sms-login`, {
    schema: {
      tags: ['auth'],
      summary: '短信验证码登录；手机号尚无账号时注册为居民（需 consent: true，即同意《用户协议》和《隐私政策》），答复中 created 为 true',
      body: ZSmsLoginBody,
    },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await deps.auth.smsLogin(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] });
      setCookies(reply, res.token, res.csrfToken);
      return reply.status(200).send(res.body);
    },
  });

  r.post(`${API}/auth/password-reset`, {
    schema: { tags: ['auth'], summary: '凭短信验证码（purpose: reset）重设密码；该账号的全部登录会话随之结束', body: ZPasswordResetBody },
    config: { public: true },
    handler: async (req, reply) => {
      await deps.auth.passwordReset(req.body);
      return reply.status(204).send();
    },
  });

  r.post(`${API}/auth/activate`, {
    schema: { tags: ['auth'], summary: '激活账号 / 重设密码（凭工作人员给的激活码）', body: ZActivateBody },
    config: { public: true },
    handler: async (req, reply) => {
      const res = await deps.auth.activate(req.body, { ...req.ctx, userAgent: req.headers['user-agent'] });
      setCookies(reply, res.token, res.csrfToken);
      return reply.status(200).send(res.body);
    },
  });

  r.post(`${API}/auth/password`, {
    schema: {
      tags: ['auth'],
      summary: '修改密码（需原密码，账号尚无密码时除外）；成功后本人其他登录会话全部结束，当前会话保留',
      security: SECURED,
      body: ZChangePasswordBody,
    },
    handler: async (req, reply) => {
      signedIn(req);
      await deps.auth.changePassword(req.session!, req.body);
      return reply.status(204).send();
    },
  });

  r.post(`${API}/auth/logout`, {
    schema: { tags: ['auth'], summary: '退出登录', security: SECURED },
    handler: async (req, reply) => {
      await deps.auth.logout(req.session!.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });

  r.get(`${API}/me`, {
    schema: { tags: ['auth'], summary: '当前用户', security: SECURED },
    handler: async (req) => deps.auth.me(signedIn(req).actor),
  });

  r.patch(`${API}/me`, {
    schema: {
      tags: ['auth'],
      summary: '修改本人资料：称呼、所在社区（homeOrgId，社区实践站或实践点；null 清除）、地址；答复同 GET /me',
      security: SECURED,
      body: ZUpdateMeBody,
    },
    handler: async (req) => deps.auth.updateMe(signedIn(req).actor, req.body),
  });
}

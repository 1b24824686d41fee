import crypto from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
import type { RequestCtx } from '../../lib/policy.ts';
import { WechatError, type AccessTokens, type WechatApi } from '../../lib/wechat/wechat.ts';
import type { AuthService } from '../auth/index.ts';
import type { UserRow } from '../users/index.ts';
import type { WechatRepository } from './wechat.repository.ts';
import type { MeDto, TWechatBindBody } from '@wenming/contracts';

const TICKET_MINUTES = 10;
/** A stored token is used while it has at least this long to live (WeChat's last 5 minutes are left to the refresh). */
const TOKEN_MARGIN_MS = 60_000;

const hash = (ticket: string) => crypto.createHash('sha256').update(ticket).digest('hex');
const expired = () =>
  new AppError('UNAUTHENTICATED', { zh: '微信授权已失效，请重新从公众号进入', en: 'The WeChat authorisation has expired; open the page again' });

type Ctx = RequestCtx & { userAgent?: string };

/**
 * WeChat 公众号 sign-in and the shared access token (docs/channels.md "WeChat"). Sign-in: the
 * OAuth code is exchanged (once; WeChat refuses a used code) for the openid; a bound openid signs
 * its account in, an unknown one waits under a ticket for the person to prove a phone with an SMS
 * code, which binds it.
 */
export function createWechat(deps: {
  api: WechatApi;
  repo: WechatRepository;
  auth: AuthService;
  userById: (id: string) => Promise<UserRow | null>;
  clock?: () => Date;
}) {
  const { api, repo } = deps;
  const now = deps.clock ?? (() => new Date());

  const tokens: AccessTokens = {
    async get(opts = {}) {
      const fresh = (r: { accessToken: string; expiresAt: Date } | null) =>
        !!r && r.accessToken !== '' && r.accessToken !== opts.stale && r.expiresAt.getTime() > now().getTime() + TOKEN_MARGIN_MS;
      const row = await repo.token(api.appId);
      if (row && fresh(row)) return row.accessToken;
      return repo.refreshToken(api.appId, fresh, async () => {
        const t = await api.fetchAccessToken();
        const at = now();
        // Treated as expiring 5 minutes early: the refresh happens while the old token still works.
        return { accessToken: t.accessToken, expiresAt: new Date(at.getTime() + Math.max(60, t.expiresIn - 300) * 1000), fetchedAt: at };
      });
    },
  };

  return {
    api,
    tokens,
    authorizeUrl: (redirectUri: string, scope: 'snsapi_base' | 'snsapi_userinfo', state: string) => api.authorizeUrl(redirectUri, scope, state),
    isBound: (userId: string) => repo.isBound(api.appId, userId),

    async signIn(code: string, ctx: Ctx) {
      let grant: Awaited<ReturnType<WechatApi['exchangeCode']>>;
      try {
        grant = await api.exchangeCode(code);
      } catch (e) {
        // 40029 invalid code, 40163 code been used: the person opens the page again.
        if (e instanceof WechatError && (e.code === '40029' || e.code === '40163')) throw expired();
        throw new AppError('UNAVAILABLE', { zh: '微信暂时无法登录，请稍后再试或用短信验证码登录', en: 'WeChat sign-in is unavailable' });
      }
      const userId = await repo.userIdOf(api.appId, grant.openid);
      const user = userId ? await deps.userById(userId) : null;
      if (user && user.status === 'active') {
        const session = await deps.auth.openSession(user, ctx);
        return { session, body: { status: 'signed_in' as const, ...session.body } };
      }
      let nickname: string | null = null;
      if (grant.scope.includes('snsapi_userinfo')) nickname = (await api.userInfo(grant.snsToken, grant.openid).catch(() => null))?.nickname ?? null;
      const ticket = crypto.randomBytes(24).toString('base64url');
      await repo.addPending({
        ticketHash: hash(ticket),
        appId: api.appId,
        openid: grant.openid,
        unionid: grant.unionid,
        nickname,
        expiresAt: new Date(now().getTime() + TICKET_MINUTES * 60_000),
      });
      return { session: null, body: { status: 'bind_required' as const, ticket, nickname } };
    },

    /** The phone proved by an SMS code (an account made on first use, as 验证码登录 does); the openid bound to it. */
    async bind(input: TWechatBindBody, ctx: Ctx) {
      const key = hash(input.ticket);
      if (!(await repo.pending(key, now()))) throw expired();
      const session = await deps.auth.smsLogin({ phone: input.phone, code: input.code, name: input.name, consent: input.consent }, ctx);
      const taken = await repo.takePending(key, now());
      if (taken) await repo.bind(taken.appId, taken.openid, (session.body.user as MeDto).id, taken.unionid, now());
      return session;
    },
  };
}

export type Wechat = ReturnType<typeof createWechat>;

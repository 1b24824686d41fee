import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { AppError, unauthenticated } from '../lib/errors.ts';
import type { RequestCtx, SessionInfo, SignedInCtx } from '../lib/policy.ts';

/** What the plugin needs of the auth module: a token to the session it opens (or null). */
export interface SessionResolver {
  resolve(token: string): Promise<SessionInfo | null>;
}

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in (API.md "Public"). Every other /api route needs a caller. */
    public?: boolean;
  }
  interface FastifyRequest {
    session: SessionInfo | null;
    authVia: 'bearer' | 'cookie' | null;
    ctx: RequestCtx;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Resolves the caller from `Authorization: Bearer` or the `sid` cookie (sessions live in the
 * database, so any process can serve any request) and enforces CSRF for cookie-authenticated
 * mutations (double submit: the `csrf` cookie's value in the `X-CSRF-Token` header).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { auth: SessionResolver }) => {
  app.decorateRequest('session', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('ctx', null as unknown as RequestCtx);

  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: null, ip: req.ip, requestId: String(req.id) };
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw unauthenticated({ zh: '无效的认证信息', en: 'Malformed Authorization header' });
      token = m[1];
      req.authVia = 'bearer';
    } else if (req.cookies[SESSION_COOKIE]) {
      token = req.cookies[SESSION_COOKIE];
      req.authVia = 'cookie';
    }
    const isPublic = req.is404 || req.routeOptions.config?.public === true;
    const session = token ? await opts.auth.resolve(token) : null;
    if (!session) {
      if (token && req.authVia === 'bearer' && !isPublic) throw unauthenticated({ zh: '登录已过期，请重新登录', en: 'The session has expired; sign in again' });
      req.authVia = null; // a stale cookie is as good as none on public routes
      if (!isPublic) throw unauthenticated();
      return;
    }
    if (req.authVia === 'cookie' && UNSAFE.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new AppError('FORBIDDEN', { zh: 'CSRF 校验失败，请刷新页面后重试', en: 'CSRF check failed; reload the page and retry' });
      }
    }
    req.session = session;
    req.ctx.actor = session.actor;
  });
});

/** preHandler for routes that need a signed-in caller. */
export async function requireSignedIn(req: FastifyRequest) {
  if (!req.ctx.actor) throw unauthenticated();
}

export function signedIn(req: FastifyRequest): SignedInCtx {
  if (!req.ctx.actor) throw unauthenticated();
  return req.ctx as SignedInCtx;
}

import type { AuthResponse, MeDto, TLoginBody, TRegisterBody } from '@wenming/contracts';
import type { Database } from '../../db/client.ts';
import { AppError, duplicate } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { dummyHash, hashPassword, verifyPassword } from '../../lib/password.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import type { Actor, RequestCtx } from '../../lib/policy.ts';
import type { UsersRepository, UserRow } from '../users/users.repository.ts';
import type { SessionsRepository } from './sessions.repository.ts';
import type { VolunteersRepository } from '../volunteers/volunteers.repository.ts';
import type { TeamsRepository } from '../teams/teams.repository.ts';
import { presentMe } from '../users/users.presenter.ts';

export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export interface AuthDeps {
  database: Database;
  users: UsersRepository;
  volunteers: VolunteersRepository;
  sessions: SessionsRepository;
  /** The teams a user leads (队长), listed in /me so the clients can offer the organiser pages. */
  teams: Pick<TeamsRepository, 'ledBy'>;
  sessionTtlMs: number;
  clock?: () => Date;
}

export interface SessionInfo {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

export function createAuthService(deps: AuthDeps) {
  const now = deps.clock ?? (() => new Date());

  async function actorFor(user: UserRow): Promise<Actor> {
    const [grants, vols] = await Promise.all([deps.users.grantsOf([user.id]), deps.volunteers.byUserId(user.id)]);
    return { userId: user.id, name: user.name, phone: user.phone, isAdmin: user.isAdmin, grants, volunteerId: vols[0]?.id };
  }

  async function meOf(actor: Actor): Promise<MeDto> {
    const led = await deps.teams.ledBy(actor.userId);
    return presentMe(actor, led);
  }

  async function openSession(user: UserRow, ctx: RequestCtx & { userAgent?: string }) {
    const token = newToken();
    const csrfToken = newToken();
    await deps.sessions.insert({
      id: newId(),
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(now().getTime() + deps.sessionTtlMs),
      userAgent: ctx.userAgent?.slice(0, 300) ?? null,
      ip: ctx.ip,
    });
    const actor = await actorFor(user);
    return { token, csrfToken, body: { user: await meOf(actor), token } satisfies AuthResponse };
  }

  return {
    async register(input: TRegisterBody, ctx: RequestCtx & { userAgent?: string }) {
      const passwordHash = await hashPassword(input.password);
      const user = await deps.users.insert({ id: newId(), phone: input.phone, name: input.name, passwordHash });
      if (!user) throw duplicate({ zh: '该手机号已注册', en: 'This phone number is already registered' });
      return openSession(user, ctx);
    },

    async login(input: TLoginBody, ctx: RequestCtx & { userAgent?: string }) {
      const since = new Date(now().getTime() - LOGIN_FAILURE_WINDOW_MS);
      const failures = await deps.sessions.failuresSince(input.phone, since);
      if (failures >= LOGIN_FAILURE_LIMIT) {
        const oldest = await deps.sessions.oldestFailureSince(input.phone, since);
        const retryAfter = oldest ? Math.max(1, Math.ceil((oldest.getTime() + LOGIN_FAILURE_WINDOW_MS - now().getTime()) / 1000)) : 900;
        throw new AppError(
          'RATE_LIMITED',
          { zh: '登录失败次数过多，请15分钟后再试', en: 'Too many failed sign-ins; try again in 15 minutes' },
          undefined,
          { 'retry-after': String(retryAfter) },
        );
      }
      const user = await deps.users.byPhone(input.phone);
      const ok = user ? await verifyPassword(input.password, user.passwordHash) : (await verifyPassword(input.password, await dummyHash()), false);
      if (!user || !ok || user.status !== 'active') {
        await deps.sessions.recordFailure(input.phone, ctx.ip);
        throw new AppError('UNAUTHENTICATED', { zh: '手机号或密码错误', en: 'Wrong phone number or password' });
      }
      await deps.sessions.clearFailures(input.phone);
      return openSession(user, ctx);
    },

    async logout(sessionId: string) {
      await deps.sessions.delete(sessionId);
    },

    /** Resolves a bearer token or cookie value to the caller; null when unknown or expired. */
    async resolve(token: string): Promise<SessionInfo | null> {
      if (!token || token.length > 200) return null;
      const found = await deps.sessions.findLive(hashToken(token), now());
      if (!found || found.user.status !== 'active') return null;
      return { sessionId: found.session.id, csrfToken: found.session.csrfToken, actor: await actorFor(found.user) };
    },

    /** The actor for a user id (tools such as the demo seed act through the real use cases). */
    async actorOf(userId: string): Promise<Actor | null> {
      const user = await deps.users.byId(userId);
      return user ? actorFor(user) : null;
    },

    me(actor: Actor): Promise<MeDto> {
      return meOf(actor);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

import crypto from 'node:crypto';
import {
  ACTIVATION_CODE_HOURS,
  type ActivationCodeDto,
  type AuthResponse,
  type MeDto,
  type TActivateBody,
  type TChangePasswordBody,
  type TLoginBody,
  type TRegisterBody,
  type TUpdateMeBody,
  msg,
} from '@wenming/contracts';
import type { Database, Executor } from '../../db/client.ts';
import { AppError, duplicate } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { dummyHash, hashPassword, isPasswordSet, needsRehash, verifyPassword } from '../../lib/password.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import type { Actor, RequestCtx, SessionInfo } from '../../lib/policy.ts';
import type { UsersRepository, UserRow } from '../users/index.ts';
import type { SessionsRepository } from './sessions.repository.ts';
import type { SmsCodesRepository } from './sms-codes.repository.ts';
import type { ProfileRepository } from './profile.repository.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import { createSmsSignIn } from './sms-sign-in.ts';
import type { SmsSender } from '../../lib/sms/sms.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import { presentMe } from '../users/index.ts';

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
  /** Key for the HMAC under which activation codes are stored. */
  activationKey: Buffer;
  /** SMS sign-in (sms-sign-in.ts): the codes, the sender, the key codes are stored under. */
  smsCodes: SmsCodesRepository;
  sms: SmsSender;
  smsCodeKey: Buffer;
  smsClientLimitPerHour?: number;
  /** The person's community and address (0025), checked against the org tree when set. */
  profile: ProfileRepository;
  orgs: Pick<OrgsRepository, 'byId'>;
  log?: (line: string, err?: unknown) => void;
  clock?: () => Date;
}

export type { SessionInfo };

export function createAuthService(deps: AuthDeps) {
  const now = deps.clock ?? (() => new Date());

  async function actorFor(user: UserRow): Promise<Actor> {
    const [grants, vols] = await Promise.all([deps.users.grantsOf([user.id]), deps.volunteers.byUserId(user.id)]);
    return { userId: user.id, name: user.name, phone: user.phone, isAdmin: user.isAdmin, grants, volunteerId: vols[0]?.id };
  }

  async function meOf(actor: Actor): Promise<MeDto> {
    const [led, home] = await Promise.all([deps.teams.ledBy(actor.userId, actor.cityCodes), deps.profile.homeOf(actor.userId)]);
    return { ...presentMe(actor, led), ...home };
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

  const codeHash = (userId: string, code: string) => crypto.createHmac('sha256', deps.activationKey).update(`${userId}:${code}`).digest('hex');

  /**
   * Takes a sign-in attempt for the phone before anything is checked (sign-in and activation
   * count together), or refuses with 429 when the window's attempts are used up. The database
   * decides in one statement, so parallel guesses cannot all slip through.
   */
  async function takeAttempt(phone: string) {
    const at = now();
    if (await deps.sessions.takeAttempt(phone, at, LOGIN_FAILURE_WINDOW_MS, LOGIN_FAILURE_LIMIT)) return;
    const started = await deps.sessions.throttleWindowOf(phone);
    const retryAfter = started ? Math.max(1, Math.ceil((started.getTime() + LOGIN_FAILURE_WINDOW_MS - at.getTime()) / 1000)) : 900;
    throw new AppError('RATE_LIMITED', { zh: '登录失败次数过多，请15分钟后再试', en: 'Too many failed sign-ins; try again in 15 minutes' }, undefined, {
      'retry-after': String(retryAfter),
    });
  }

  const smsSignIn = createSmsSignIn({
    database: deps.database,
    users: deps.users,
    sessions: deps.sessions,
    codes: deps.smsCodes,
    sms: deps.sms,
    codeKey: deps.smsCodeKey,
    clientLimitPerHour: deps.smsClientLimitPerHour,
    now,
    openSession,
    log: deps.log ?? (() => undefined),
  });

  return {
    ...smsSignIn,
    /** Opens a session for an account that proved itself another way (WeChat 网页授权 of a bound openid, docs/channels.md). */
    openSession,

    async register(input: TRegisterBody, ctx: RequestCtx & { userAgent?: string }) {
      const passwordHash = await hashPassword(input.password);
      const user = await deps.users.insert({ id: newId(), phone: input.phone, name: input.name, passwordHash });
      if (!user) throw duplicate({ zh: '该手机号已注册', en: 'This phone number is already registered' });
      return openSession(user, ctx);
    },

    async login(input: TLoginBody, ctx: RequestCtx & { userAgent?: string }) {
      await takeAttempt(input.phone);
      const user = await deps.users.byPhone(input.phone);
      const ok = user ? await verifyPassword(input.password, user.passwordHash) : (await verifyPassword(input.password, await dummyHash()), false);
      if (!user || !ok || user.status !== 'active') {
        await deps.sessions.recordFailure(input.phone, ctx.ip);
        throw new AppError('UNAUTHENTICATED', { zh: '手机号或密码错误', en: 'Wrong phone number or password' });
      }
      await deps.sessions.clearAttempts(input.phone);
      if (needsRehash(user.passwordHash)) await deps.users.upgradePasswordHash(user.id, user.passwordHash, await hashPassword(input.password));
      return openSession(user, ctx);
    },

    /**
     * A new activation code for a user (the caller has checked who may ask), in the caller's
     * transaction so it lands with the audit entry. Eight digits, valid for 72 hours, once.
     */
    async issueActivationCode(tx: Executor, userId: string, issuedBy: string): Promise<ActivationCodeDto> {
      const code = String(crypto.randomInt(0, 100_000_000)).padStart(8, '0');
      const expiresAt = new Date(now().getTime() + ACTIVATION_CODE_HOURS * 3600_000);
      await deps.sessions.putActivationCode({ userId, codeHash: codeHash(userId, code), issuedBy, expiresAt }, tx);
      return { code, expiresAt: expiresAt.toISOString() };
    },

    /**
     * 激活账号 / 重设密码: the phone, the code staff gave and a new password. The code is used up,
     * the password set and every older session ended in one transaction; then the person is
     * signed in. A wrong code counts as a failed sign-in for the phone, so it cannot be guessed.
     */
    async activate(input: TActivateBody, ctx: RequestCtx & { userAgent?: string }) {
      await takeAttempt(input.phone);
      const user = await deps.users.byPhone(input.phone);
      const passwordHash = await hashPassword(input.password);
      const done =
        !!user &&
        user.status === 'active' &&
        (await deps.database.db.transaction(async (tx) => {
          if (!(await deps.sessions.takeActivationCode(user.id, codeHash(user.id, input.code), now(), tx))) return false;
          await deps.users.setPassword(user.id, passwordHash, tx);
          await deps.sessions.deleteAllOf(user.id, tx);
          return true;
        }));
      if (!done) {
        await deps.sessions.recordFailure(input.phone, ctx.ip);
        throw new AppError('UNAUTHENTICATED', {
          zh: '手机号或激活码不正确，或激活码已过期',
          en: 'Wrong phone number or activation code, or the code has expired',
        });
      }
      await deps.sessions.clearAttempts(input.phone);
      return openSession(user, ctx);
    },

    /**
     * 修改密码: the signed-in user sets a new password, giving the current one (unless the account
     * has none yet). A wrong current password counts against the phone's sign-in throttle, so a
     * stolen session cannot be used to guess it. The password and the end of every other session
     * of the user commit together; the caller's own session stays.
     */
    async changePassword(session: SessionInfo, input: TChangePasswordBody) {
      const user = await deps.users.byId(session.actor.userId);
      if (!user) throw new AppError('UNAUTHENTICATED');
      if (isPasswordSet(user.passwordHash)) {
        if (!input.oldPassword) {
          throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'oldPassword', message: msg('请输入原密码', 'Enter the current password') }]);
        }
        await takeAttempt(user.phone);
        if (!(await verifyPassword(input.oldPassword, user.passwordHash))) {
          throw new AppError('RULE_VIOLATION', { zh: '原密码不正确', en: 'The current password is wrong' });
        }
        await deps.sessions.clearAttempts(user.phone);
      }
      const passwordHash = await hashPassword(input.newPassword);
      await deps.database.db.transaction(async (tx) => {
        await deps.users.setPassword(user.id, passwordHash, tx);
        await deps.sessions.deleteAllOfExcept(user.id, session.sessionId, tx);
      });
    },

    async logout(sessionId: string) {
      await deps.sessions.delete(sessionId);
    },

    /** Resolves a bearer token or cookie value to the caller; null when unknown or expired. */
    async resolve(token: string): Promise<SessionInfo | null> {
      if (!token || token.length > 200) return null;
      const found = await deps.sessions.findLiveCaller(hashToken(token), now());
      if (!found || found.user.status !== 'active') return null;
      const { user } = found;
      const actor: Actor = {
        userId: user.id,
        name: user.name,
        phone: user.phone,
        isAdmin: user.isAdmin,
        grants: found.grants ?? [],
        volunteerId: found.volunteerId ?? undefined,
        cityCodes: found.cities,
      };
      return { sessionId: found.session.id, csrfToken: found.session.csrfToken, actor };
    },

    /** The actor for a user id (tools such as the demo seed act through the real use cases). */
    async actorOf(userId: string): Promise<Actor | null> {
      const user = await deps.users.byId(userId);
      return user ? actorFor(user) : null;
    },

    me(actor: Actor): Promise<MeDto> {
      return meOf(actor);
    },

    /**
     * PATCH /me: the person's name, community (a station or point of the tree), address and 长辈模式. The
     * community is checked to be a site people live at; null clears it.
     */
    async updateMe(actor: Actor, input: TUpdateMeBody): Promise<MeDto> {
      let home: { cityCode: string; orgId: string } | null | undefined = input.homeOrgId === null ? null : undefined;
      if (input.homeOrgId) {
        const org = await deps.orgs.byId(input.homeOrgId);
        if (!org) throw new AppError('NOT_FOUND', { zh: '没有这个社区（村）', en: 'No such community' });
        if (org.level !== 'station' && org.level !== 'point')
          throw new AppError('RULE_VIOLATION', { zh: '请选择社区（村）实践站或实践点', en: 'Choose a community station or point' });
        home = { cityCode: org.cityCode, orgId: org.id };
      }
      const user = await deps.profile.update(actor.userId, { name: input.name, home, address: input.address, elderMode: input.elderMode, at: now() });
      if (!user) throw new AppError('UNAUTHENTICATED');
      return meOf(await actorFor(user));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

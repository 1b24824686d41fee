import crypto from 'node:crypto';
import {
  SMS_CODE_MAX_TRIES,
  SMS_CODE_MINUTES,
  SMS_RESEND_SECONDS,
  SMS_SENDS_PER_DAY,
  type SmsCodeSentDto,
  type TPasswordResetBody,
  type TSmsCodeBody,
  type TSmsLoginBody,
} from '@wenming/contracts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/password.ts';
import type { RequestCtx } from '../../lib/policy.ts';
import type { SmsSender } from '../../lib/sms/sms.ts';
import type { UsersRepository, UserRow } from '../users/index.ts';
import type { SessionsRepository } from './sessions.repository.ts';
import type { SmsCodesRepository } from './sms-codes.repository.ts';

/** Codes one client address may ask for in an hour, whatever the phones (default of SMS_CLIENT_LIMIT_PER_HOUR). */
export const SMS_CLIENT_SENDS_PER_HOUR = 20;
const HOUR_MS = 3600_000;
/** The password of an account made by SMS sign-in: none (the person may set one in 我的 → 修改密码). */
export const SMS_NO_PASSWORD = '!sms-no-password';

type Ctx = RequestCtx & { userAgent?: string };

export interface SmsSignInDeps {
  database: Database;
  users: UsersRepository;
  sessions: SessionsRepository;
  codes: SmsCodesRepository;
  sms: SmsSender;
  /** Key for the HMAC under which codes are stored. */
  codeKey: Buffer;
  /** Codes one client address may ask for in an hour (SMS_CLIENT_LIMIT_PER_HOUR). */
  clientLimitPerHour?: number;
  now: () => Date;
  openSession(user: UserRow, ctx: Ctx): Promise<{ token: string; csrfToken: string; body: { user: unknown; token: string } }>;
  log: (line: string, err?: unknown) => void;
}

/** The date in China (UTC+8, no daylight saving) of an instant, as YYYY-MM-DD. */
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);
/** The next midnight in China after an instant. */
const nextChinaMidnight = (at: Date) => new Date(Date.parse(`${chinaDay(at)}T00:00:00+08:00`) + 24 * HOUR_MS);

function tooMany(zh: string, en: string, retryAfterSeconds: number) {
  return new AppError('RATE_LIMITED', { zh, en }, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}

/** "45秒" / "3分钟" / "2小时": how long to wait, as a person says it. */
function wait(seconds: number): { zh: string; en: string } {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return { zh: `${s}秒`, en: `${s} seconds` };
  if (s <= 3600) return { zh: `${Math.ceil(s / 60)}分钟`, en: `${Math.ceil(s / 60)} minutes` };
  return { zh: `${Math.ceil(s / 3600)}小时`, en: `${Math.ceil(s / 3600)} hours` };
}

const wrongCode = (triesLeft: number | null) =>
  new AppError(
    'UNAUTHENTICATED',
    triesLeft && triesLeft > 0
      ? { zh: `验证码不正确，还可以再试${triesLeft}次`, en: `Wrong code; ${triesLeft} tries left` }
      : { zh: '验证码不正确或已失效，请重新获取验证码', en: 'The code is wrong or no longer valid; ask for a new one' },
  );

export function createSmsSignIn(deps: SmsSignInDeps) {
  const codeHash = (phone: string, purpose: string, code: string) =>
    crypto.createHmac('sha256', deps.codeKey).update(`${phone}:${purpose}:${code}`).digest('hex');

  /**
   * Uses a code, in its own statement (a wrong try must count even when what follows fails):
   * throws the 401 a wrong, used, expired or exhausted code gets.
   */
  async function useCode(phone: string, purpose: 'login' | 'reset', code: string, at: Date) {
    const tried = await deps.codes.tryCode(phone, purpose, codeHash(phone, purpose, code), at, SMS_CODE_MAX_TRIES);
    if (!tried) throw wrongCode(null);
    if (!tried.ok) throw wrongCode(SMS_CODE_MAX_TRIES - tried.tries);
  }

  return {
    /**
     * 获取验证码: a new 6-digit code for the phone, stored hashed, sent by SMS after the limits
     * (per client, per phone every 60 s and 10 a day) have each taken their slot in one
     * transaction. The answer is the same whether the phone has an account or not; a reset code
     * for a phone without one is stored but not sent.
     */
    async sendCode(input: TSmsCodeBody, ctx: Ctx): Promise<SmsCodeSentDto> {
      const at = deps.now();
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const hash = codeHash(input.phone, input.purpose, code);
      await deps.database.db.transaction(async (tx) => {
        if (!(await deps.codes.takeClientSend(ctx.ip, at, HOUR_MS, deps.clientLimitPerHour ?? SMS_CLIENT_SENDS_PER_HOUR, tx))) {
          const started = await deps.codes.clientWindowOf(ctx.ip, tx);
          const left = started ? (started.getTime() + HOUR_MS - at.getTime()) / 1000 : 3600;
          const w = wait(left);
          throw tooMany(`获取验证码过于频繁，请${w.zh}后再试`, `Too many codes asked for from this device; try again in ${w.en}`, left);
        }
        const put = await deps.codes.putCode(
          {
            phone: input.phone,
            purpose: input.purpose,
            codeHash: hash,
            expiresAt: new Date(at.getTime() + SMS_CODE_MINUTES * 60_000),
            now: at,
            day: chinaDay(at),
            gapMs: SMS_RESEND_SECONDS * 1000,
            perDay: SMS_SENDS_PER_DAY,
          },
          tx,
        );
        if (put) return;
        // Refused: the transaction rolls back (the client's slot is given back) with the reason.
        const sends = await deps.codes.sendsOf(input.phone, tx);
        const gapLeft = sends ? (sends.lastSentAt.getTime() + SMS_RESEND_SECONDS * 1000 - at.getTime()) / 1000 : 0;
        if (gapLeft > 0) {
          const w = wait(gapLeft);
          throw tooMany(`验证码已发送，请${w.zh}后再重新获取`, `A code was just sent; ask again in ${w.en}`, gapLeft);
        }
        const tomorrow = (nextChinaMidnight(at).getTime() - at.getTime()) / 1000;
        throw tooMany(
          `该手机号今天获取验证码已达${SMS_SENDS_PER_DAY}次，请明天（${wait(tomorrow).zh}后）再试`,
          `This phone has had ${SMS_SENDS_PER_DAY} codes today; try again tomorrow (in ${wait(tomorrow).en})`,
          tomorrow,
        );
      });
      const send = input.purpose === 'login' || !!(await deps.users.byPhone(input.phone));
      if (send) {
        try {
          await deps.sms.send({ phone: input.phone, kind: 'verification', params: [['code', code]] });
        } catch (e) {
          deps.log(`[sms] 验证码发送失败 (${deps.sms.provider})`, e);
          await deps.codes.giveBack(input.phone, hash, at);
          throw new AppError('UNAVAILABLE', { zh: '短信发送失败，请稍后再试', en: 'The text message could not be sent; try again later' });
        }
      }
      return { resendAfter: SMS_RESEND_SECONDS, expiresIn: SMS_CODE_MINUTES * 60 };
    },

    /**
     * 验证码登录: the code is used (once) and the person signed in; a phone without an account gets
     * a resident account, which needs consent to 用户协议 and 隐私政策 (recorded with it).
     */
    async smsLogin(input: TSmsLoginBody, ctx: Ctx) {
      const at = deps.now();
      const known = await deps.users.byPhone(input.phone);
      if (!known && input.consent !== true)
        throw new AppError('RULE_VIOLATION', {
          zh: '首次登录将为您注册账号，请先阅读并同意《用户协议》和《隐私政策》',
          en: 'Signing in for the first time creates an account: accept the user agreement and the privacy policy first',
        });
      await useCode(input.phone, 'login', input.code, at);
      const { user, created } = await deps.database.db.transaction(async (tx) => {
        const existing = known ?? (await deps.users.byPhone(input.phone, tx));
        if (existing) return { user: existing, created: false };
        const made = await deps.users.insert(
          { id: newId(), phone: input.phone, name: input.name ?? `居民${input.phone.slice(-4)}`, passwordHash: SMS_NO_PASSWORD, termsAcceptedAt: at },
          tx,
        );
        return made ? { user: made, created: true } : { user: (await deps.users.byPhone(input.phone, tx))!, created: false };
      });
      if (user.status !== 'active') throw new AppError('UNAUTHENTICATED', { zh: '该账号已停用，请联系所在站点', en: 'This account is disabled' });
      await deps.sessions.clearAttempts(input.phone);
      const session = await deps.openSession(user, ctx);
      return { ...session, body: { ...session.body, created } };
    },

    /**
     * 找回密码: a reset code and a new password. The code is used, the password set and every
     * session of the account ended in one transaction; the person then signs in with it.
     */
    async passwordReset(input: TPasswordResetBody) {
      const at = deps.now();
      const passwordHash = await hashPassword(input.newPassword);
      await useCode(input.phone, 'reset', input.code, at);
      await deps.database.db.transaction(async (tx) => {
        const user = await deps.users.byPhone(input.phone, tx);
        if (!user || user.status !== 'active') throw wrongCode(null);
        await deps.users.setPassword(user.id, passwordHash, tx);
        await deps.sessions.deleteAllOf(user.id, tx);
      });
      await deps.sessions.clearAttempts(input.phone);
    },
  };
}

export type SmsSignIn = ReturnType<typeof createSmsSignIn>;

import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PHONE_RE } from '@wenming/contracts';

/** All configuration, parsed once at boot. A bad value stops the process with every problem listed. */
const ZConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * PostgreSQL (DATABASE_URL) only; docs/operations.md. Longest wait for a connection: to open one,
   * or for a free one when the pool is busy. Beyond it the request answers 503 UNAVAILABLE.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** The server cancels any statement running longer (PostgreSQL's statement_timeout; 0 = never); the request answers 503. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * The process gives up on a query the server has not answered for this long and drops its
   * connection (a hung or paused server; 0 = never). Above the statement timeout, so a slow
   * statement is cancelled by the server first.
   */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(35_000),
  /** GET /readyz answers 503 when the database has not answered `SELECT 1` within this. */
  READYZ_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /**
   * PostgreSQL's shared_buffers for the embedded database. PGlite's own default, 128MB, makes its
   * WebAssembly memory grow past its initial 128 MB at start: ~470 MB of RSS at ready, not ~370 MB.
   */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9][0-9]*(kB|MB|GB)$/, { message: 'must be a size such as 64MB' })
    .default('64MB'),
  WENMING_ADMIN_PHONE: z.string().regex(PHONE_RE, { message: 'must be an 11-digit mainland mobile number' }).default('13800000000'),
  WENMING_ADMIN_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).optional(),
  WENMING_SEED: z.enum(['demo', 'none', 'scale']).default('demo'),
  /** With WENMING_SEED=scale: the share of the source reports' figures to generate (1.0 = Taiyuan's 434,710 volunteers …). */
  WENMING_SCALE_FACTOR: z.coerce.number().positive().max(4).default(1),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** How long a statistics answer serves identical requests (docs/statistics.md); 0 turns the sharing off. */
  STATS_FRESH_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /**
   * Runs every periodic job (escalation, reminders, rollups, message delivery …) at this interval
   * instead of its own (30 s to 1 h): for tests with several processes and for a demo that wants to
   * see an escalation at once. Unset in production.
   */
  JOB_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Largest picture accepted by POST /uploads. */
  UPLOAD_IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  /** Largest file in any multipart request (e.g. a volunteer import sheet). */
  UPLOAD_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 14),
  /** Points expire this many months after they were earned (first in, first out); 0 = never (default). */
  POINTS_EXPIRY_MONTHS: z.coerce.number().int().min(0).max(120).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Content-Security-Policy of every response (docs/operations.md): `enforce` (default),
   * `report-only` (browsers only report what they would block; for trying a change), `off`.
   */
  CSP: z.enum(['enforce', 'report-only', 'off']).default('enforce'),
  /** Who may show the app in a frame (CSP frame-ancestors): `'self'` (default), `'none'`, or origins separated by spaces. */
  FRAME_ANCESTORS: z
    .string()
    .trim()
    .regex(/^('self'|'none'|https?:\/\/[a-z0-9.*-]+(:\d+)?)( ('self'|https?:\/\/[a-z0-9.*-]+(:\d+)?))*$/i, {
      message: "must be 'self', 'none', or origins such as https://portal.example.cn separated by spaces",
    })
    .default("'self'"),
  /**
   * Which reverse proxies' X-Forwarded-For to believe (docs/operations.md). Unset (default):
   * none — the client address is the connection's. A number: that many proxy hops in front
   * (1 = one nginx). Otherwise addresses or CIDR ranges separated by commas (`127.0.0.1,10.0.0.0/8`;
   * also `loopback`, `uniquelocal`).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('')
    .refine(
      (v) =>
        v === '' ||
        v === 'false' ||
        /^\d{1,2}$/.test(v) ||
        v.split(',').every((a) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/.test(a.trim())),
      {
        message: 'must be a number of proxy hops (1) or addresses / CIDR ranges separated by commas (127.0.0.1,10.0.0.0/8)',
      },
    )
    .transform((v): false | number | string[] => (v === '' || v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.split(',').map((a) => a.trim()))),
  WEB_DIST: z.string().optional(),
  WENMING_DATA_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)' })
    .optional(),
  /** Uploads go to this S3-compatible bucket instead of DATA_DIR/uploads when it is set (with both keys). */
  UPLOAD_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a bucket name: 3 to 63 lowercase letters, digits, dots or hyphens' })
    .optional(),
  /** The S3 API address (MinIO, Ceph, OSS, COS, …); unset: AWS S3 of UPLOAD_S3_REGION. */
  UPLOAD_S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  UPLOAD_S3_REGION: z.string().min(1).default('us-east-1'),
  UPLOAD_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  UPLOAD_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `true`: bucket in the path (http://host/bucket/key), as MinIO and most self-hosted stores want. */
  UPLOAD_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Prepended to every object key, so one bucket can hold several deployments. */
  UPLOAD_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, { message: 'must be empty or path segments each ending in "/" (e.g. "wenming/uploads/")' })
    .default('uploads/'),
  /**
   * The address the public reaches this deployment at (e.g. https://wm.taiyuan.gov.cn): every QR
   * code, printed certificate and link sent out uses it. Unset: the request's own origin.
   */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL such as https://wm.taiyuan.gov.cn' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** Text messages (docs/channels.md): `log` writes them to the server log; `aliyun` / `tencent` send them. */
  SMS_PROVIDER: z.enum(['log', 'aliyun', 'tencent']).default('log'),
  /**
   * Sign-in codes one client address may ask for in an hour, whatever the phones (docs/channels.md).
   * Behind a proxy, set TRUST_PROXY too, or every client shares the proxy's address and this limit.
   */
  SMS_CLIENT_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** The provider's API address instead of its public one (a proxy, or a fake in tests). */
  SMS_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  /** The provider's region (Aliyun RegionId, default cn-hangzhou; Tencent X-TC-Region, default ap-guangzhou). */
  SMS_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/, { message: 'must be a region id such as cn-hangzhou or ap-guangzhou' })
    .optional(),
  SMS_ACCESS_KEY_ID: z.string().min(1).optional(),
  SMS_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  SMS_SECRET_ID: z.string().min(1).optional(),
  SMS_SECRET_KEY: z.string().min(1).optional(),
  SMS_SDK_APP_ID: z.string().min(1).optional(),
  /** 短信签名, e.g. 文明实践云 (registered with the provider). */
  SMS_SIGN_NAME: z.string().min(1).max(40).optional(),
  /** The verification-code template (one variable: code). */
  SMS_TEMPLATE_CODE: z.string().min(1).max(60).optional(),
  /** Notice templates (one variable: title); a kind without one is not sent by SMS. */
  SMS_TEMPLATE_ORDER_DISPATCHED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ORDER_ESCALATED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ORDER_REMINDER: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ORDER_COMPLETED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ORDER_FORWARDED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ORDER_SUPERVISED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_BOOKING_APPROVED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_BOOKING_REJECTED: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_BOOKING_REMINDER: z.string().min(1).max(60).optional(),
  SMS_TEMPLATE_ACTIVITY_REMINDER: z.string().min(1).max(60).optional(),
  /** The secret part of the SMS reply callback's path (POST /api/v1/sms/replies/<secret>); without it replies are not taken. */
  SMS_REPLY_SECRET: z.string().min(16).max(200).optional(),
  /** WeChat 公众号 (docs/channels.md "WeChat"): both or neither; without them WeChat notices are log lines and the H5 a plain web page. */
  WECHAT_APP_ID: z
    .string()
    .regex(/^wx[0-9a-f]{16}$/, { message: 'must be a 公众号 AppID such as wx1234567890abcdef' })
    .optional(),
  WECHAT_APP_SECRET: z.string().min(16).max(64).optional(),
  WECHAT_API_BASE: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).default('https://api.weixin.qq.com'),
  WECHAT_OPEN_BASE: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).default('https://open.weixin.qq.com'),
  /** Template ids (模板消息) for order, booking and activity notices; fields thing1 (the notice) and time2 (when). */
  WECHAT_TEMPLATE_ORDER: z.string().min(1).max(100).optional(),
  WECHAT_TEMPLATE_BOOKING: z.string().min(1).max(100).optional(),
  WECHAT_TEMPLATE_ACTIVITY: z.string().min(1).max(100).optional(),
  /** The outbox (docs/channels.md "Delivery"): attempts before a message is given up (dead). */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
});

/** A real SMS provider needs its keys, a signature and the verification template; the log provider needs nothing. */
function smsProblems(env: Record<string, string | undefined>): string[] {
  const need =
    env.SMS_PROVIDER === 'aliyun'
      ? ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_CODE']
      : env.SMS_PROVIDER === 'tencent'
        ? ['SMS_SECRET_ID', 'SMS_SECRET_KEY', 'SMS_SDK_APP_ID', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_CODE']
        : [];
  return need.filter((k) => env[k] === undefined).map((k) => `${k}: is required when SMS_PROVIDER=${env.SMS_PROVIDER} (got nothing)`);
}

/** The S3 settings only make sense together: a bucket needs both keys, and no key or endpoint goes without a bucket. */
function uploadStoreProblems(env: Record<string, string | undefined>): string[] {
  const given = (k: string) => env[k] !== undefined;
  const rest = [
    'UPLOAD_S3_ENDPOINT',
    'UPLOAD_S3_ACCESS_KEY_ID',
    'UPLOAD_S3_SECRET_ACCESS_KEY',
    'UPLOAD_S3_FORCE_PATH_STYLE',
    'UPLOAD_S3_PREFIX',
    'UPLOAD_S3_REGION',
  ];
  if (given('UPLOAD_S3_BUCKET'))
    return ['UPLOAD_S3_ACCESS_KEY_ID', 'UPLOAD_S3_SECRET_ACCESS_KEY']
      .filter((k) => !given(k))
      .map((k) => `${k}: is required when UPLOAD_S3_BUCKET is set (got nothing)`);
  const stray = rest.filter(given);
  return stray.length
    ? [
        `UPLOAD_S3_BUCKET: is required when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set; set it to store uploads in S3, or remove the other UPLOAD_S3_* settings to keep them on disk (got nothing)`,
      ]
    : [];
}

function show(key: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (/PASSWORD|URL|KEY|SECRET/.test(key)) return '(hidden)';
  return JSON.stringify(value);
}

export type Config = z.infer<typeof ZConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(ZConfig.shape).map((k) => [k, env[k] === '' && k !== 'DATABASE_URL' ? undefined : env[k]]));
  const parsed = ZConfig.safeParse(known);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${show(String(i.path[0]), known[String(i.path[0])])})`)),
    ...uploadStoreProblems(known),
    ...smsProblems(known),
    ...((known.WECHAT_APP_ID === undefined) !== (known.WECHAT_APP_SECRET === undefined)
      ? ['WECHAT_APP_ID, WECHAT_APP_SECRET: set both (the 公众号 AppID and AppSecret) or neither']
      : []),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return parsed.data;
}

const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

/** Config for tests and tools: defaults, plus what is given. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // STATS_FRESH_MS 0: tests read figures right after writing them (the sharing has its own test).
  // Files tests write (uploads) go to the system's temporary folder, never into the checkout.
  const DATA_DIR = path.join(os.tmpdir(), 'wenming-test-data');
  return { ...loadConfig({}), LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: 100000, STATS_FRESH_MS: 0, WENMING_DATA_KEY: TEST_DATA_KEY, DATA_DIR, ...overrides };
}

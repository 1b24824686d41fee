import crypto from 'node:crypto';
import { promisify } from 'node:util';
import pLimit from 'p-limit';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * scrypt at OWASP's recommended strength, in the form of it that needs the least memory: OWASP
 * lists N=2^17, r=8, p=1 (128 MiB per hash) and the equivalent N=2^14, r=8, p=5 (16 MiB, the same
 * work done five times over the smaller block). The parameters are stored with each hash, so older
 * hashes (N=2^15, p=1) still verify and are replaced at the next successful sign-in (`needsRehash`).
 */
const PARAMS = { N: 2 ** 14, r: 8, p: 5 };
const KEYLEN = 32;

/**
 * At most two hashes at a time, whatever the number of sign-ins in flight: each holds its block in
 * memory (16 MiB now, 32 MiB for older hashes) and a core for ~0.1 s, and libuv's four threads are
 * also those that read files and compress answers. A burst of logins then queues here instead of
 * growing the process by 32 MiB per request in flight and starving every other request.
 */
const hashing = pLimit(2);

const run = (password: string, salt: Buffer, keylen: number, params: { N: number; r: number; p: number }) =>
  hashing(() => scrypt(password.normalize('NFKC'), salt, keylen, { ...params, maxmem: 128 * params.N * params.r * 2 }));

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await run(password, salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether the account has a password at all (imported volunteers start with a marker instead of a hash). */
export function isPasswordSet(stored: string): boolean {
  return stored.startsWith('scrypt$');
}

/** Whether a stored hash was made with other parameters than today's (it is replaced at the next sign-in). */
export function needsRehash(stored: string): boolean {
  return isPasswordSet(stored) && !stored.startsWith(`scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$`);
}

/** The largest work a stored hash may ask for: a forged row must not make a sign-in allocate gigabytes. */
const MAX_N = 2 ** 17;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!(N >= 2 && N <= MAX_N && r >= 1 && r <= 16 && p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await run(password, salt, expected.length, { N, r, p });
  return crypto.timingSafeEqual(key, expected);
}

/** A hash of a random password: compared against when the phone is unknown, so timing does not tell. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummy;
}

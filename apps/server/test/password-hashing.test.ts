import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from '../src/lib/password.ts';
import { createTestContext, DATABASES, freshPhone, type TestContext } from './helpers/test-app.ts';

/** A hash as the platform made them before (N=2^15, r=8, p=1): such rows are in every existing database. */
function legacyHash(password: string): string {
  const salt = crypto.randomBytes(16);
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 128 * 2 ** 15 * 8 * 2 });
  return `scrypt$32768$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

describe('password hashing', () => {
  it("hashes at OWASP's strength in its 16 MiB form, and verifies hashes of older parameters", async () => {
    const hash = await hashPassword('口令password1');
    expect(hash).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('口令password1', hash)).toBe(true);
    expect(await verifyPassword('口令password2', hash)).toBe(false);
    const old = legacyHash('password123');
    expect(needsRehash(old)).toBe(true);
    expect(await verifyPassword('password123', old)).toBe(true);
    expect(needsRehash('!imported')).toBe(false);
  });

  it('refuses a stored hash that asks for absurd work instead of allocating it', async () => {
    const huge = `scrypt$${2 ** 24}$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
    expect(await verifyPassword('password123', huge)).toBe(false);
    expect(await verifyPassword('password123', 'scrypt$0$8$1$x$y')).toBe(false);
  });

  it('many hashes at once all complete (they queue two at a time)', async () => {
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password${i}`)));
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(`password${i}`, h)));
    expect(checks).toEqual(Array(8).fill(true));
  });
});

describe.each(DATABASES)('older password hashes on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
  });
  afterAll(() => ctx.close());

  const hashOf = async (phone: string) =>
    (await ctx.database.raw.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE phone = $1', [phone]))[0]!.password_hash;

  it('are replaced by a hash of today at the next successful sign-in, and not by a failed one', async () => {
    const phone = freshPhone();
    const reg = await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'password123', name: '老用户' } });
    expect(reg.statusCode).toBe(201);
    const old = legacyHash('password123');
    await ctx.database.raw.query('UPDATE users SET password_hash = $1 WHERE phone = $2', [old, phone]);

    const wrong = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: 'password124' } });
    expect(wrong.statusCode).toBe(401);
    expect(await hashOf(phone)).toBe(old);

    const ok = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: 'password123' } });
    expect(ok.statusCode).toBe(200);
    const upgraded = await hashOf(phone);
    expect(upgraded).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(await verifyPassword('password123', upgraded)).toBe(true);

    const again = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: 'password123' } });
    expect(again.statusCode).toBe(200);
    expect(await hashOf(phone)).toBe(upgraded);
  });
});

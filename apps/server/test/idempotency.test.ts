import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';
import { buildTree, type Tree } from './helpers/fixtures.ts';

describe.each(DATABASES)('Idempotency-Key on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
  });
  afterAll(() => ctx.close());

  const create = (key: string, name: string) =>
    ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name }, headers: { 'idempotency-key': key }, as: ctx.admin });
  const count = async (name: string) =>
    (await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM departments WHERE name = $1', [name]))[0]!.n;

  it('replays the first response for the same key and body, creating nothing new', async () => {
    const first = await create('k-1', '小店区民政局');
    const second = await create('k-1', '小店区民政局');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await count('小店区民政局')).toBe(1);
  });

  it('refuses the same key with another body with 409 IDEMPOTENCY_CONFLICT', async () => {
    await create('k-2', '小店区卫生健康局');
    const other = await create('k-2', '小店区教育局');
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await count('小店区教育局')).toBe(0);
  });

  it('runs concurrent twins once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => create('k-3', '小店区城市管理局')));
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await count('小店区城市管理局')).toBe(1);
  });

  it('keys are per caller, and an error response is replayed too', async () => {
    const dup1 = await create('k-4', '小店区民政局');
    expect(dup1.statusCode).toBe(409);
    const dup2 = await create('k-4', '小店区民政局');
    expect(dup2.statusCode).toBe(409);
    expect(dup2.headers['idempotent-replayed']).toBe('true');
    const tooLong = await ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name: 'x' }, headers: { 'idempotency-key': 'k'.repeat(201) }, as: ctx.admin });
    expect(tooLong.statusCode).toBe(400);
  });
});

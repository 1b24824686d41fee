import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';
import { buildTree, type Tree } from './helpers/fixtures.ts';

/** A 1×1 PNG and a tiny GIF. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

function multipart(bytes: Buffer, filename: string, field = 'file') {
  const boundary = `----wenming-idem-${Math.random().toString(36).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

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
    const tooLong = await ctx.request({
      method: 'POST',
      url: '/api/v1/departments',
      payload: { orgId: t.xiaodian, name: 'x' },
      headers: { 'idempotency-key': 'k'.repeat(201) },
      as: ctx.admin,
    });
    expect(tooLong.statusCode).toBe(400);
  });

  // 群众点单 claims the key in its one write statement, together with the order and the answer.
  describe('POST /orders (the key is claimed by the order’s own write)', () => {
    let resident: Awaited<ReturnType<TestContext['register']>>;
    beforeAll(async () => {
      resident = await ctx.register('点单居民');
    });
    const submit = (key: string, content: string) =>
      ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, headers: { 'idempotency-key': key }, as: resident });
    const orders = async (content: string) =>
      (await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE content = $1', [content]))[0]!.n;
    const keys = async (key: string) =>
      (
        await ctx.database.raw.query<{ n: number; answered: number }>(
          'SELECT count(*)::int AS n, count(status_code)::int AS answered FROM idempotency_keys WHERE key = $1',
          [key],
        )
      )[0]!;

    it('stores the answer with the order, replays it for the same body, and refuses another body', async () => {
      const first = await submit('o-1', '帮我修一下门口的路灯');
      expect(first.statusCode, first.body).toBe(201);
      expect(await keys('o-1')).toEqual({ n: 1, answered: 1 });
      const again = await submit('o-1', '帮我修一下门口的路灯');
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      const other = await submit('o-1', '另一件事');
      expect(other.statusCode).toBe(409);
      expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await orders('帮我修一下门口的路灯')).toBe(1);
      expect(await orders('另一件事')).toBe(0);
    });

    it('runs concurrent twins once: one order, one answer for all', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => submit('o-2', '楼道灯坏了，老人晚上看不见')));
      expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
      expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
      expect(new Set(results.map((r) => r.json().code)).size).toBe(1);
      expect(await orders('楼道灯坏了，老人晚上看不见')).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    });

    it('claims nothing when the write fails: the key stays free and a retry runs', async () => {
      // A category the submission's catalogue cache has seen but the database no longer has: the
      // order's foreign key fails the one statement, so neither the order nor the key is written.
      const addCategory = () => ctx.database.raw.query("INSERT INTO categories (code, name, name_en) VALUES ('idem_tmp', '临时类别', 'Temporary')");
      const submitWith = (key: string, content: string) =>
        ctx.request({
          method: 'POST',
          url: '/api/v1/orders',
          payload: { content, orgId: t.shifanjie, category: 'idem_tmp' },
          headers: { 'idempotency-key': key },
          as: resident,
        });
      await addCategory();
      expect((await submitWith('o-warm', '让缓存记住这个类别')).statusCode).toBe(201);
      await ctx.database.raw.query("UPDATE orders SET category = 'health' WHERE category = 'idem_tmp'");
      await ctx.database.raw.query("DELETE FROM categories WHERE code = 'idem_tmp'");

      const failed = await submitWith('o-3', '写入失败后重试');
      expect(failed.statusCode).toBeGreaterThanOrEqual(400);
      expect(await keys('o-3')).toEqual({ n: 0, answered: 0 });
      expect(await orders('写入失败后重试')).toBe(0);

      await addCategory();
      const retry = await submitWith('o-3', '写入失败后重试');
      expect(retry.statusCode, retry.body).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await keys('o-3')).toEqual({ n: 1, answered: 1 });
      expect(await orders('写入失败后重试')).toBe(1);
    });
  });

  // A multipart body is read by the handler, so the key is claimed there with the parts' fingerprint.
  const rows = async (table: 'uploads' | 'volunteer_imports') => (await ctx.database.raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  // Each request has its own boundary, as browsers send them: the fingerprint is of the parts, not the raw body.
  const upload = (key: string, bytes: Buffer, filename = 'photo.png', field = 'file') => {
    const body = multipart(bytes, filename, field);
    return ctx.request({ method: 'POST', url: '/api/v1/uploads', payload: body.payload, headers: { ...body.headers, 'idempotency-key': key }, as: ctx.admin });
  };

  it('multipart upload: the same key and file replay the first answer; another file under it is 409', async () => {
    const before = await rows('uploads');
    const first = await upload('up-1', PNG);
    expect(first.statusCode, first.body).toBe(201);
    const again = await upload('up-1', PNG);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await rows('uploads')).toBe(before + 1);

    const otherFile = await upload('up-1', GIF);
    expect(otherFile.statusCode).toBe(409);
    expect(otherFile.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    const otherName = await upload('up-1', PNG, 'another-name.png');
    expect(otherName.statusCode).toBe(409);
    const asJson = await ctx.request({ method: 'POST', url: '/api/v1/uploads', payload: { file: 'x' }, headers: { 'idempotency-key': 'up-1' }, as: ctx.admin });
    expect(asJson.statusCode).toBe(409);
    expect(await rows('uploads')).toBe(before + 1);

    // The same file under a new key is a new upload.
    const fresh = await upload('up-2', PNG);
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().id).not.toBe(first.json().id);
    expect(await rows('uploads')).toBe(before + 2);
  });

  it('multipart upload: concurrent twins store one file; a request refused before its parts were read leaves the key free', async () => {
    const before = await rows('uploads');
    const twins = await Promise.all(Array.from({ length: 4 }, () => upload('up-3', GIF, 'a.gif')));
    expect(twins.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(twins.map((r) => r.json().id)).size).toBe(1);
    expect(await rows('uploads')).toBe(before + 1);

    const misnamed = await upload('up-4', PNG, 'a.png', 'photo');
    expect(misnamed.statusCode).toBe(400);
    const right = await upload('up-4', PNG, 'a.png');
    expect(right.statusCode).toBe(201);
    expect(right.headers['idempotent-replayed']).toBeUndefined();
    // A refusal after the parts were read (not a picture) is the stored answer for that key and file.
    const notPicture = await upload('up-5', Buffer.from('just text'), 'a.png');
    expect(notPicture.statusCode).toBe(400);
    const notPictureAgain = await upload('up-5', Buffer.from('just text'), 'a.png');
    expect(notPictureAgain.statusCode).toBe(400);
    expect(notPictureAgain.headers['idempotent-replayed']).toBe('true');
    expect(await rows('uploads')).toBe(before + 2);
  });

  it('volunteer import: the same key and sheet replay the job id; another sheet under it is 409', async () => {
    const sheet = (phone: string) => Buffer.from(`姓名,身份证号,手机号,报到阵地\n王芳,140105199003070000,${phone},师范街社区新时代文明实践站\n`);
    const start = (key: string, bytes: Buffer) => {
      const body = multipart(bytes, 'v.csv');
      return ctx.request({
        method: 'POST',
        url: '/api/v1/volunteers/imports',
        payload: body.payload,
        headers: { ...body.headers, 'idempotency-key': key },
        as: ctx.admin,
      });
    };
    const before = await rows('volunteer_imports');
    const first = await start('imp-1', sheet('13600000001'));
    expect(first.statusCode, first.body).toBe(202);
    await ctx.app.modules.volunteerBulk.settled(first.json().id);
    const again = await start('imp-1', sheet('13600000001'));
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await start('imp-1', sheet('13600000002'));
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await rows('volunteer_imports')).toBe(before + 1);
  });
});

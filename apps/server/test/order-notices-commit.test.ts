import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

/**
 * Text messages tell of writes that have committed. A POST with an Idempotency-Key runs in a
 * transaction held until its answer is stored (plugins/idempotency.ts); a notice its step queues
 * leaves after that commit, and never when the request rolls back — a retry must not have texted
 * the volunteer already about an order that was, in the end, not dispatched.
 */
describe.each(DATABASES)('external notices after the commit on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let resident: Caller;
  let v: Awaited<ReturnType<typeof volunteer>>;
  const sent: { phone: string; kind: string; title: string }[] = [];

  beforeAll(async () => {
    ctx = await createTestContext(kind, {}, { channels: [{ name: 'sms', send: async (m) => void sent.push(m) }] });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    resident = await ctx.register('提交居民');
    v = await volunteer(ctx, t.shifanjie, { name: '短信志愿者' });
    // The stored answer of keys 'fail-…' is refused: such a request fails after its step, and rolls back.
    await ctx.database.raw.exec(`
      CREATE FUNCTION notice_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key LIKE 'fail-%' AND NEW.status_code IS NOT NULL THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER notice_test_refuse BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION notice_test_refuse();`);
  });
  afterAll(() => ctx.close());

  const submit = async (content: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, as: resident });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; code: string }>();
  };
  const dispatch = (id: string, key: string) =>
    ctx.request({
      method: 'POST',
      url: `/api/v1/orders/${id}/dispatch`,
      payload: { volunteerId: v.volunteerId },
      headers: { 'idempotency-key': key },
      as: dispatcher,
    });
  const toVolunteer = (code: string) => sent.filter((m) => m.phone === v.phone && m.title.includes(code));
  const settle = async (until: () => boolean) => {
    for (let i = 0; i < 100 && !until(); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it('a keyed dispatch texts the volunteer once its transaction has committed', async () => {
    const o = await submit('想请人帮忙量血压');
    const res = await dispatch(o.id, 'ok-dispatch-1');
    expect(res.statusCode, res.body).toBe(200);
    await settle(() => toVolunteer(o.code).length > 0);
    expect(toVolunteer(o.code)).toHaveLength(1);
    // The retry replays the answer and texts no one again.
    const again = await dispatch(o.id, 'ok-dispatch-1');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await new Promise((r) => setTimeout(r, 200));
    expect(toVolunteer(o.code)).toHaveLength(1);
  });

  it('a keyed dispatch that rolls back texts no one; its retry dispatches and texts once', async () => {
    const o = await submit('楼道灯坏了想找人修');
    const state = async () => (await ctx.database.raw.query<{ state: string }>('SELECT state FROM orders WHERE id = $1', [o.id]))[0]!.state;
    const before = await state();
    const failed = await dispatch(o.id, 'fail-dispatch-1');
    expect(failed.statusCode).toBe(500);
    expect(await state()).toBe(before);
    // Give a wrongly sent notice every chance to arrive: none may.
    await new Promise((r) => setTimeout(r, 300));
    expect(toVolunteer(o.code)).toHaveLength(0);
    const retry = await dispatch(o.id, 'ok-dispatch-2');
    expect(retry.statusCode, retry.body).toBe(200);
    await settle(() => toVolunteer(o.code).length > 0);
    expect(toVolunteer(o.code)).toHaveLength(1);
  });
});

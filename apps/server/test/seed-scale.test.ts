import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale, type SeedScaleResult } from '../src/seed/scale/index.ts';
import { sizesFor } from '../src/seed/scale/world.ts';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';

const FACTOR = 0.002;
const PASSWORD = 'scale-pass-123';

/** Every index and constraint of the schema, as the catalog defines it (independent of the seed's own reader). */
async function catalog(ctx: TestContext): Promise<string[]> {
  const rows = await ctx.database.raw.query<{ line: string }>(`
    SELECT 'index ' || t.relname || ' ' || ic.relname || ': ' || pg_get_indexdef(i.indexrelid) AS line
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'constraint ' || r.relname || ' ' || c.conname || ' ' || c.contype::text || ' valid=' || c.convalidated::text || ' deferrable=' || c.condeferrable::text || ': ' || pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
    WHERE n.nspname = 'public'`);
  return rows.map((r) => r.line).sort();
}

describe.each(DATABASES)('the city at scale (%s)', (kind) => {
  let ctx: TestContext;
  let before: string[];
  let result: SeedScaleResult;
  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => ctx.database.raw.query<T>(sql, params);
  const one = async (sql: string, params: unknown[] = []) => Number(Object.values((await q(sql, params))[0]!)[0]);

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    before = await catalog(ctx);
    result = await seedScale(ctx.database, { factor: FACTOR, password: PASSWORD, dataKey: Buffer.alloc(32, 7) });
  }, 600_000);
  afterAll(() => ctx?.close());

  it('loads the source reports’ figures in proportion', async () => {
    const s = sizesFor('1401', FACTOR);
    expect(s.volunteers).toBe(Math.round(434_710 * FACTOR));
    expect(await one(`SELECT count(*)::int FROM volunteers WHERE city_code = '1401'`)).toBe(s.volunteers);
    expect(await one(`SELECT count(*)::int FROM teams`)).toBe(s.teams);
    expect(await one(`SELECT count(DISTINCT tier)::int FROM teams`)).toBe(3);
    expect(await one(`SELECT count(*)::int FROM activities`)).toBe(s.activities);
    expect(await one(`SELECT count(*)::int FROM orders`)).toBe(s.orders);
    for (const [table, n] of Object.entries(result.counts)) expect(await one(`SELECT count(*)::int FROM ${table}`), table).toBe(table === 'users' ? n : n);
    // Every volunteer has an account; accounts have unique phones by the key.
    expect(await one(`SELECT count(*)::int FROM volunteers v LEFT JOIN users u ON u.id = v.user_id WHERE u.id IS NULL`)).toBe(0);
    // Real districts in realistic proportions: 小店区 holds more than 娄烦县.
    const per = await q<{ region_code: string; n: number }>(
      `SELECT c.region_code, count(*)::int AS n FROM volunteers v JOIN orgs s ON s.city_code = v.city_code AND s.id = v.org_id
       JOIN orgs c ON c.city_code = s.city_code AND c.level = 'center' AND s.path <@ c.path GROUP BY 1`,
    );
    const n = (code: string) => per.find((p) => p.region_code === code)?.n ?? 0;
    expect(n('140105')).toBeGreaterThan(n('140123') * 3);
    expect(n('140106')).toBeGreaterThan(n('140123'));
    // The states of the loop (the open ones are the last hours' orders, too few at this factor to count on),
    // forwarded complaints with departments and their replies, escalations.
    const states = (await q<{ state: string }>(`SELECT DISTINCT state FROM orders`)).map((r) => r.state).sort();
    for (const st of ['completed', 'rated', 'cancelled', 'rejected']) expect(states).toContain(st);
    expect(
      await one(`SELECT count(*)::int FROM orders WHERE nature IN ('complaint', 'petition') AND department_id IS NOT NULL AND reply IS NOT NULL`),
    ).toBeGreaterThan(0);
    expect(await one(`SELECT count(*)::int FROM order_events WHERE action = 'escalate'`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*)::int FROM service_records WHERE status = 'verified'`)).toBeGreaterThan(s.volunteers);
    // The love supermarket: redemptions in each state, paid from the points earned.
    const rstates = (await q<{ status: string }>(`SELECT DISTINCT status FROM redemptions`)).map((r) => r.status).sort();
    expect(rstates).toEqual(['cancelled', 'fulfilled', 'pending_pickup']);
    // Certificates for a sample, issued by the app's own use case: they verify.
    expect(result.counts.certificates).toBeGreaterThan(0);
    const [cert] = await q<{ serial: string }>(`SELECT serial FROM certificates LIMIT 1`);
    const verified = await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert!.serial}/verify` });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().valid).toBe(true);
  });

  it('puts back every index and constraint exactly as the migrations define them', async () => {
    expect(await catalog(ctx)).toEqual(before);
    expect(await one(`SELECT count(*)::int FROM pg_constraint WHERE NOT convalidated`)).toBe(0);
  });

  it('keeps the counters and denormalised columns consistent with the rows', async () => {
    // Hours: the volunteer's total is the sum of the verified records.
    expect(
      await one(`SELECT count(*)::int FROM volunteers v LEFT JOIN (SELECT city_code, volunteer_id, sum(hours) AS h FROM service_records WHERE status = 'verified' GROUP BY 1, 2) s
                 ON s.city_code = v.city_code AND s.volunteer_id = v.id WHERE v.total_hours <> coalesce(s.h, 0)`),
    ).toBe(0);
    // Activities: places taken and ratings.
    expect(
      await one(`SELECT count(*)::int FROM activities a LEFT JOIN (
                   SELECT city_code, activity_id, count(*) FILTER (WHERE role = 'volunteer' AND status = 'registered') AS v,
                     count(*) FILTER (WHERE role = 'resident' AND status = 'registered') AS p FROM activity_signups GROUP BY 1, 2) s
                 ON s.city_code = a.city_code AND s.activity_id = a.id
                 WHERE a.volunteer_registered <> coalesce(s.v, 0) OR a.public_registered <> coalesce(s.p, 0)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*)::int FROM activities a LEFT JOIN (SELECT city_code, activity_id, count(*) AS n, sum(score) AS s FROM activity_ratings GROUP BY 1, 2) r
                 ON r.city_code = a.city_code AND r.activity_id = a.id WHERE a.rating_count <> coalesce(r.n, 0) OR a.rating_sum <> coalesce(r.s, 0)`),
    ).toBe(0);
    // Order codes: each day's counter is the last number given that day.
    expect(
      await one(`SELECT count(*)::int FROM (SELECT city_code, (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, max(right(code, 4)::int) AS n, count(*) AS c FROM orders GROUP BY 1, 2) o
                 FULL JOIN order_code_counters k ON k.city_code = o.city_code AND k.day = o.day WHERE k.n IS DISTINCT FROM o.n OR o.n <> o.c`),
    ).toBe(0);
    // The waitlist sequence continues after the generated sign-ups.
    expect(await one(`SELECT nextval('activity_signup_seq')::bigint`)).toBeGreaterThan(await one(`SELECT max(seq) FROM activity_signups`));
    // Points: balance = ledger sum for every account (what `wenming reconcile-points` checks).
    const rec = await ctx.app.modules.points.reconcile();
    expect(rec.mismatches).toEqual([]);
    expect(rec.ok).toBe(true);
    expect(rec.totals.ledger).toBeGreaterThan(0);
  });

  it('has venues booked over the past year and the coming two weeks, usable through the product', async () => {
    expect(result.counts.resources).toBeGreaterThan(0);
    expect(result.counts.bookings).toBeGreaterThan(result.counts.resources! / 2);
    expect(result.counts.booking_reviews).toBeGreaterThan(0);
    const past = (await q<{ status: string }>(`SELECT DISTINCT status FROM bookings WHERE ends_at < now()`)).map((r) => r.status).sort();
    expect(past).toEqual(['cancelled', 'completed', 'no_show', 'rejected']);
    const future = (await q<{ status: string }>(`SELECT DISTINCT status FROM bookings WHERE starts_at > now()`)).map((r) => r.status).sort();
    expect(future).toEqual(['approved', 'cancelled', 'pending']);
    // Reviews only of completed bookings, by whoever booked.
    expect(
      await one(
        `SELECT count(*)::int FROM booking_reviews r JOIN bookings b ON b.city_code = r.city_code AND b.id = r.booking_id WHERE b.status <> 'completed' OR b.user_id <> r.user_id`,
      ),
    ).toBe(0);
    // Every booking falls inside its venue's opening hours on its weekday (China time).
    expect(
      await one(`SELECT count(*)::int FROM bookings b JOIN resources r ON r.city_code = b.city_code AND r.id = b.resource_id
        WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(r.open_hours) h
          WHERE (h->>'weekday')::int = extract(isodow FROM b.starts_at AT TIME ZONE 'Asia/Shanghai')
            AND (b.starts_at AT TIME ZONE 'Asia/Shanghai')::time >= (h->>'open')::time
            AND (b.ends_at AT TIME ZONE 'Asia/Shanghai')::time <= (h->>'close')::time)`),
    ).toBe(0);
    // The one who booked sees it among their bookings; the venue's district admin approves a pending one.
    const [mine] = await q<{ id: string; phone: string }>(
      `SELECT b.id::text, u.phone FROM bookings b JOIN users u ON u.id = b.user_id WHERE b.starts_at > now() ORDER BY b.id LIMIT 1`,
    );
    const booker = await ctx.login(mine!.phone, PASSWORD);
    const list = await ctx.request({ method: 'GET', url: '/api/v1/bookings?mine=true', as: booker });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((b: { id: string }) => b.id)).toContain(mine!.id);
    const admin = await ctx.login(result.samplePhones.districtAdmin, PASSWORD);
    const [pending] = await q<{ id: string }>(
      `SELECT b.id::text FROM bookings b JOIN resources r ON r.city_code = b.city_code AND r.id = b.resource_id JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id
       JOIN users u ON u.phone = $1 JOIN role_grants g ON g.city_code = b.city_code AND g.user_id = u.id AND g.role = 'org_admin' JOIN orgs go ON go.city_code = g.city_code AND go.id = g.org_id
       WHERE b.status = 'pending' AND o.path <@ go.path ORDER BY b.starts_at LIMIT 1`,
      [result.samplePhones.districtAdmin],
    );
    expect(pending).toBeDefined();
    const approved = await ctx.request({ method: 'POST', url: `/api/v1/bookings/${pending!.id}/approve`, as: admin });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
  });

  it('has elders paired with volunteers, visited week by week, each visit a service record of its volunteers', async () => {
    expect(result.counts.pairing_plans).toBeGreaterThan(0);
    expect(result.counts.pairing_tasks).toBeGreaterThan(result.counts.pairing_plans!);
    const states = (await q<{ state: string }>(`SELECT DISTINCT state FROM pairing_tasks`)).map((r) => r.state).sort();
    expect(states).toEqual(['cancelled', 'done', 'missed', 'open']);
    // One record per volunteer who served a done visit, and none for anything else.
    expect(await one(`SELECT count(*)::int FROM service_records WHERE source_type = 'pairing'`)).toBe(
      await one(`SELECT coalesce(sum(cardinality(served_volunteer_ids)), 0)::int FROM pairing_tasks WHERE state = 'done'`),
    );
    expect(
      await one(`SELECT count(*)::int FROM service_records s LEFT JOIN pairing_tasks t ON t.city_code = s.city_code AND t.id = s.source_id
        WHERE s.source_type = 'pairing' AND (t.id IS NULL OR t.state <> 'done' OR NOT s.volunteer_id = ANY (t.served_volunteer_ids) OR s.hours <> t.hours)`),
    ).toBe(0);
    // Served volunteers belong to the plan; every active plan has a visit in the coming two weeks.
    expect(
      await one(`SELECT count(*)::int FROM pairing_tasks t, unnest(t.served_volunteer_ids) v
        WHERE NOT EXISTS (SELECT 1 FROM pairing_plan_volunteers pv WHERE pv.city_code = t.city_code AND pv.plan_id = t.plan_id AND pv.volunteer_id = v)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*)::int FROM pairing_plans p WHERE p.state = 'active'
        AND NOT EXISTS (SELECT 1 FROM pairing_tasks t WHERE t.city_code = p.city_code AND t.plan_id = p.id AND t.state = 'open' AND t.due_at > now())`),
    ).toBe(0);
    // A paired volunteer sees their coming visits in the app.
    const [pv] = await q<{ phone: string; plan_id: string }>(
      `SELECT u.phone, pv.plan_id::text FROM pairing_plan_volunteers pv JOIN pairing_plans p ON p.city_code = pv.city_code AND p.id = pv.plan_id
       JOIN volunteers v ON v.city_code = pv.city_code AND v.id = pv.volunteer_id JOIN users u ON u.id = v.user_id WHERE p.state = 'active' ORDER BY pv.plan_id LIMIT 1`,
    );
    const vol = await ctx.login(pv!.phone, PASSWORD);
    const upcoming = await ctx.request({ method: 'GET', url: '/api/v1/pairing/tasks?view=upcoming', as: vol });
    expect(upcoming.statusCode, upcoming.body).toBe(200);
    expect(upcoming.json().items.length).toBeGreaterThan(0);
  });

  it('has every site evaluated for the last three closed months, by the product’s own computation', async () => {
    expect(result.counts.evaluation_results).toBeGreaterThan(0);
    const periods = (await q<{ period: string }>(`SELECT DISTINCT period FROM evaluation_results ORDER BY period`)).map((r) => r.period);
    expect(periods).toHaveLength(3);
    const admin = await ctx.login(result.samplePhones.cityAdmin, PASSWORD);
    const list = await ctx.request({ method: 'GET', url: `/api/v1/evaluations?period=${periods[2]}`, as: admin });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
  });

  it('works as the product: a generated volunteer logs in and accepts an order a resident submitted and the dispatcher dispatched', async () => {
    const phone = result.samplePhones.volunteer[0]!;
    const [vol] = await q<{ id: string; org_id: string }>(
      `SELECT v.id::text, v.org_id::text FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.phone = $1`,
      [phone],
    );
    expect(vol).toBeDefined();
    const volunteer = await ctx.login(phone, PASSWORD);
    const me = await ctx.request({ method: 'GET', url: '/api/v1/volunteers/me', as: volunteer });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().id).toBe(vol!.id);
    const resident = await ctx.login(result.samplePhones.resident[0]!, PASSWORD);
    const dispatcher = await ctx.login(result.samplePhones.dispatcher, PASSWORD);
    const submitted = await ctx.request({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content: '家里老人想请人上门量血压', orgId: vol!.org_id },
      as: resident,
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    // The code continues the day's counter.
    expect(submitted.json().code).toMatch(/^D\d{10}$/);
    const dispatched = await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/dispatch`, payload: { volunteerId: vol!.id }, as: dispatcher });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const accepted = await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/accept`, payload: {}, as: volunteer });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().state).toBe('accepted');
    // The district admin and the city admin sign in too.
    await ctx.login(result.samplePhones.districtAdmin, PASSWORD);
    await ctx.login(result.samplePhones.cityAdmin, PASSWORD);
  });
});

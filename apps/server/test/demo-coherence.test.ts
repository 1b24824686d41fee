import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRICTS, seedDemo, type SeedReport } from '../src/seed/seed.ts';
import { isFemaleName } from '../src/seed/names.ts';
import { testConfig } from '../src/config.ts';
import { freshDatabase, DATABASES } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import type { Database } from '../src/db/client.ts';

/**
 * The demo tells one true story (issue 19): read back from the database after seeding, the people,
 * places, orders, hours and media agree with each other. The demo is cut to its named districts
 * plus 迎泽区 (140106), a district with no volunteers, and two months of history.
 */
describe.each(DATABASES)('the seeded demo is coherent on %s', (kind) => {
  let database: Database & { drop(): Promise<void> };
  let report: SeedReport['demo'] | null;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    report = await seedDemo(database, 'demo-password', () => {}, testConfig(), { districts: [...DEMO_DISTRICTS, '140106'], historyDays: 60, now: testNow });
    expect(report).not.toBeNull();
  }, 600_000);
  afterAll(() => database?.drop());

  const q = <T>(text: string, params: unknown[] = []) => database.raw.query<T>(text, params);
  /** The district of an org: its path's first two labels (city.center), as text. */
  const district = (alias: string) => `subpath(${alias}.path, 0, least(2, nlevel(${alias}.path)))::text`;

  it("李大爷's community is the same in the demo accounts' list, on his account and for every order he placed", async () => {
    const [li] = await q<{ id: string; home: string | null; name: string | null; district: string | null }>(
      `SELECT u.id::text, u.home_org_id::text AS home, o.name, c.name AS district FROM users u
       LEFT JOIN orgs o ON o.city_code = u.home_city_code AND o.id = u.home_org_id
       LEFT JOIN orgs c ON c.city_code = o.city_code AND c.path = subpath(o.path, 0, 2)
       WHERE u.phone = '13900000010'`,
    );
    expect(li!.name).toBe('永康北路社区新时代文明实践站');
    const label = report!.accounts.find((a) => a.phone === '13900000010')!.role;
    expect(label).toContain('永康北路社区');
    expect(li!.district!.startsWith(label.slice(0, 3))).toBe(true); // 小店区
    const orders = await q<{ org: string; n: number }>('SELECT org_id::text AS org, count(*)::int AS n FROM orders WHERE requester_id = $1 GROUP BY 1', [
      li!.id,
    ]);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.map((o) => o.org)).toEqual([li!.home]);
  });

  it('has orders of many residents, each asked at the requester’s own community, of every nature', async () => {
    const [h] = await q<{ orders: number; requesters: number }>(
      "SELECT count(*)::int AS orders, count(DISTINCT requester_id)::int AS requesters FROM orders WHERE code LIKE 'H%'",
    );
    expect(h!.orders).toBeGreaterThan(60);
    expect(h!.requesters).toBeGreaterThan(h!.orders / 4);
    const natures = (await q<{ nature: string }>('SELECT DISTINCT nature FROM orders ORDER BY 1')).map((r) => r.nature);
    expect(natures).toEqual(['complaint', 'consult', 'petition', 'service']);
    const [away] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.requester_id
       WHERE u.home_org_id IS NULL OR u.home_city_code <> o.city_code OR u.home_org_id <> o.org_id`,
    );
    expect(away!.n).toBe(0);
  });

  it('forwards orders to a department above the site, which signs, answers and is rated', async () => {
    const rows = await q<{ code: string; dept: string | null; above: boolean | null; reply: string | null; state: string }>(
      `SELECT o.code, d.name AS dept, (s.path <@ dorg.path) AS above, o.reply, o.state
       FROM orders o JOIN orgs s ON s.city_code = o.city_code AND s.id = o.org_id
       LEFT JOIN departments d ON d.city_code = o.city_code AND d.id = o.department_id
       LEFT JOIN orgs dorg ON dorg.city_code = d.city_code AND dorg.id = d.org_id
       WHERE o.forwarded_at IS NOT NULL`,
    );
    expect(rows.filter((r) => r.code.startsWith('H')).length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.dept, r.code).toBeTruthy();
      expect(r.above, r.code).toBe(true);
      if (['resolved', 'rated'].includes(r.state)) expect(r.reply?.length, r.code).toBeGreaterThan(5);
    }
    // Every order a department answered came from a forward, and its timeline says which department.
    const [bad] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_events e JOIN orders o ON o.city_code = e.city_code AND o.id = e.order_id
       WHERE e.action = 'forward' AND (e.data->>'departmentId') IS DISTINCT FROM o.department_id::text`,
    );
    expect(bad!.n).toBe(0);
  });

  it("serves orders by teams of the order's district, and hours only where volunteers live", async () => {
    const [foreign] = await q<{ n: number; served: number }>(
      `SELECT count(*) FILTER (WHERE ${district('s')} <> ${district('t')})::int AS n, count(*)::int AS served
       FROM orders o JOIN orgs s ON s.city_code = o.city_code AND s.id = o.org_id
       JOIN teams tm ON tm.city_code = o.city_code AND tm.id = o.assignee_team_id
       JOIN orgs t ON t.city_code = tm.city_code AND t.id = tm.org_id`,
    );
    expect(foreign!.served).toBeGreaterThan(20);
    expect(foreign!.n).toBe(0);
    // Every hour is served in the volunteer's own district; 迎泽区 (no volunteers) has none.
    const [away] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM service_records r
       JOIN orgs s ON s.city_code = r.city_code AND s.id = r.org_id
       JOIN volunteers v ON v.city_code = r.city_code AND v.id = r.volunteer_id
       JOIN orgs h ON h.city_code = v.city_code AND h.id = v.org_id
       WHERE ${district('s')} <> ${district('h')}`,
    );
    expect(away!.n).toBe(0);
    const [yingze] = await q<{ orders: number; hours: number }>(
      // The district first, then its sites' orders and hours joined by city_code (Citus refuses a subquery correlated by path alone).
      `WITH c AS (SELECT city_code, path FROM orgs WHERE region_code = '140106')
       SELECT (SELECT count(*)::int FROM orders o JOIN orgs s ON s.city_code = o.city_code AND s.id = o.org_id JOIN c ON c.city_code = s.city_code AND s.path <@ c.path) AS orders,
              (SELECT coalesce(sum(r.hours), 0)::float8 FROM service_records r JOIN orgs s ON s.city_code = r.city_code AND s.id = r.org_id
                 JOIN c ON c.city_code = s.city_code AND s.path <@ c.path) AS hours`,
    );
    expect(yingze!.hours).toBe(0);
  });

  it("adds up: an order's hours are its records', a volunteer's total is their verified records', nobody serves before registering", async () => {
    const [orderOff] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders o
       LEFT JOIN (SELECT city_code, source_id, sum(hours) AS h FROM service_records WHERE source_type = 'order' AND status IN ('pending', 'verified') GROUP BY 1, 2) r
         ON r.city_code = o.city_code AND r.source_id = o.id
       WHERE o.hours IS NOT NULL AND o.state IN ('completed', 'rated') AND abs(o.hours - coalesce(r.h, 0)) > 0.01`,
    );
    expect(orderOff!.n).toBe(0);
    const off = await q<{ name: string; total: number; sum: number }>(
      `SELECT v.real_name AS name, v.total_hours::float8 AS total, coalesce(r.h, 0)::float8 AS sum FROM volunteers v
       LEFT JOIN (SELECT city_code, volunteer_id, sum(hours) AS h FROM service_records WHERE status = 'verified' GROUP BY 1, 2) r
         ON r.city_code = v.city_code AND r.volunteer_id = v.id
       WHERE abs(v.total_hours - coalesce(r.h, 0)) > 0.1`,
    );
    expect(off).toEqual([]);
    const [early] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM service_records r JOIN volunteers v ON v.city_code = r.city_code AND v.id = r.volunteer_id WHERE r.started_at < v.created_at`,
    );
    expect(early!.n).toBe(0);
  });

  it('gives every volunteer the sex of their name and an ID number and work unit of their own city', async () => {
    const vols = await q<{ city: string; name: string; gender: string; masked: string; unit: string | null }>(
      'SELECT city_code AS city, real_name AS name, gender, id_number_masked AS masked, work_unit AS unit FROM volunteers',
    );
    expect(vols.length).toBeGreaterThan(40);
    expect(vols.filter((v) => v.city === '1402').length).toBeGreaterThan(5);
    for (const v of vols) {
      expect(v.gender, v.name).toBe(isFemaleName(v.name) ? 'female' : 'male');
      expect(v.masked.slice(0, 4), v.name).toBe(v.city);
      if (v.unit) expect(v.unit, v.name).not.toContain(v.city === '1402' ? '太原' : '大同');
    }
    expect(vols.find((v) => v.name === '吴丽娟')!.gender).toBe('female');
    expect(vols.filter((v) => v.city === '1402' && v.unit).length).toBeGreaterThan(0);
  });

  it('points lectures only at media the platform serves (or none)', async () => {
    const media = await q<{ title: string; url: string }>('SELECT title, media_url AS url FROM contents WHERE media_url IS NOT NULL');
    for (const m of media) expect(m.url, m.title).toMatch(/^\/(?!\/)/);
    const [lectures] = await q<{ n: number }>("SELECT count(*)::int AS n FROM contents WHERE kind = 'lecture' AND state = 'published'");
    expect(lectures!.n).toBeGreaterThan(0);
  });

  it('lands every escalation on a staffed desk: every site with orders and every staffed desk below a city has one above it', async () => {
    const staffed = `EXISTS (SELECT 1 FROM role_grants g WHERE g.city_code = a.city_code AND g.org_id = a.id AND g.role IN ('dispatcher', 'org_admin'))`;
    const orphans = await q<{ name: string }>(
      `SELECT DISTINCT o.name FROM orgs o
       WHERE (o.id IN (SELECT org_id FROM orders) OR o.id IN (SELECT org_id FROM role_grants WHERE role IN ('dispatcher', 'org_admin')))
         AND o.level <> 'city'
         AND NOT EXISTS (SELECT 1 FROM orgs a WHERE a.city_code = o.city_code AND a.path @> o.path AND a.path <> o.path AND ${staffed})`,
    );
    expect(orphans).toEqual([]);
    // And every district center of the demo has a desk of its own.
    const centers = await q<{ name: string; staffed: boolean }>(
      `SELECT a.name, ${staffed} AS staffed FROM orgs a WHERE a.level = 'center' AND a.region_code = ANY($1::text[]) ORDER BY a.region_code`,
      [DEMO_DISTRICTS],
    );
    expect(centers.length).toBe(DEMO_DISTRICTS.length);
    for (const c of centers) expect(c.staffed, c.name).toBe(true);
  });
});

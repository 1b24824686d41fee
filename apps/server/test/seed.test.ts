import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoOrgs, loadDivisions, shortCommunityName } from '../src/seed/demo-orgs.ts';
import { DEMO_DISTRICTS, demoTree, seedDemo } from '../src/seed/seed.ts';
import { canBeChildOf } from '@wenming/domain';
import { freshDatabase } from './helpers/test-app.ts';
import { testConfig } from '../src/config.ts';
import type { Database } from '../src/db/client.ts';

describe('real administrative divisions', () => {
  it('hold Taiyuan and Datong at the sizes the source counts', () => {
    const div = loadDivisions();
    const count = (code: string) => {
      const c = div.cities.find((x) => x.code === code)!;
      const streets = c.districts.flatMap((d) => d.streets);
      return [c.districts.length, streets.length, streets.flatMap((s) => s.communities).length];
    };
    expect(count('1401')).toEqual([11, 108, 1401]);
    expect(count('1402')).toEqual([11, 127, 1827]);
  });

  it('shortens committee names to the community or village', () => {
    expect(shortCommunityName('师范街社区居委会')).toBe('师范街社区');
    expect(shortCommunityName('新城社区居民委员会')).toBe('新城社区');
    expect(shortCommunityName('南寨村村民委员会')).toBe('南寨村');
    expect(shortCommunityName('南寨村委会')).toBe('南寨村');
    expect(shortCommunityName('文博苑居委会')).toBe('文博苑社区');
  });
});

describe('demo org tree', () => {
  const rows = buildDemoOrgs();
  const byId = new Map(rows.map((r) => [r.id, r]));

  it('has 10 centers per city and every street and community as institute and station', () => {
    const n = (city: string, level: string) => rows.filter((r) => r.cityCode === city && r.level === level).length;
    expect(n('1401', 'city')).toBe(1);
    expect(n('1401', 'center')).toBe(10);
    expect(n('1402', 'center')).toBe(10);
    expect(n('1401', 'institute')).toBeGreaterThanOrEqual(100);
    expect(n('1401', 'station')).toBeGreaterThanOrEqual(1300);
    expect(n('1402', 'station')).toBeGreaterThanOrEqual(1700);
    expect(rows.filter((r) => r.level === 'point').length).toBeGreaterThan(3);
  });

  it('keeps the level rules, paths and coordinates inside Shanxi', () => {
    for (const r of rows) {
      const parent = r.parentId ? byId.get(r.parentId)! : null;
      expect(canBeChildOf(r.level, parent?.level ?? null), `${r.name}`).toBe(true);
      if (parent) expect(r.path.startsWith(`${parent.path}.`)).toBe(true);
      expect(r.lat!).toBeGreaterThan(34);
      expect(r.lat!).toBeLessThan(41);
      expect(r.lng!).toBeGreaterThan(110);
      expect(r.lng!).toBeLessThan(115);
    }
  });

  it('names the sites of the source reports', () => {
    const names = rows.map((r) => r.name);
    for (const n of [
      '小井峪街道新时代文明实践所',
      '新城社区新时代文明实践站',
      '尖草坪区南寨区域文明实践站',
      '文博苑社区新时代文明实践站',
      '小店区新时代文明实践中心实践广场',
    ])
      expect(names).toContain(n);
    const xinCheng = rows.find((r) => r.regionCode === '140110003002')!;
    expect(xinCheng.name).toBe('新城社区新时代文明实践站');
    expect(byId.get(xinCheng.parentId!)!.name).toBe('晋源街道新时代文明实践所');
  });
});

describe('seeding the demo into PGlite', () => {
  let database: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await freshDatabase('pglite');
  });
  afterAll(() => database.drop());

  // The same demo, cut to the districts it names and a month of history: what the test proves
  // (the loop's use cases, the ledger, the scoping) does not need 3,400 sites and a year, and the
  // whole demo took 155 s on a busy machine. The pure tree is checked whole above.
  const size = { districts: DEMO_DISTRICTS, historyDays: 30 };

  // The demo's parts all run through the real use cases: minutes on a busy machine.
  it('writes the tree, departments and demo accounts once', { timeout: 300_000 }, async () => {
    const first = await seedDemo(database, 'demo-password', () => {}, testConfig(), size);
    expect(first!.orgs).toBe(demoTree(DEMO_DISTRICTS).length);
    expect(first!.orgs).toBeGreaterThan(500);
    // The loop's demo data went through the real use cases.
    const [counts] = await database.raw.query<{ teams: number; volunteers: number; orders: number; rated: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM teams) AS teams, (SELECT count(*)::int FROM volunteers) AS volunteers,
              -- The loop's live orders (the backdated demo history has codes starting with H).
              (SELECT count(*)::int FROM orders WHERE code NOT LIKE 'H%') AS orders, (SELECT count(*)::int FROM orders WHERE state = 'rated' AND code NOT LIKE 'H%') AS rated,
              (SELECT count(*)::int FROM order_events) AS events`,
    );
    expect(counts).toMatchObject({ teams: 11, orders: 8, rated: 3 });
    expect(counts!.volunteers).toBeGreaterThan(40);
    expect(counts!.events).toBeGreaterThan(7);
    // The backdated history's verified hours earned points through the earning rules, and every
    // balance is the sum of its ledger.
    const [pts] = await database.raw.query<{ accounts: number; total: number; off: number }>(
      `SELECT count(*)::int AS accounts, coalesce(sum(balance), 0)::int AS total,
              (SELECT count(*)::int FROM points_accounts a WHERE a.balance <> (SELECT coalesce(sum(delta), 0) FROM points_ledger l WHERE l.city_code = a.city_code AND l.user_id = a.user_id)) AS off
       FROM points_accounts`,
    );
    expect(pts!.accounts).toBeGreaterThan(20);
    expect(pts!.total).toBeGreaterThan(1000);
    expect(pts!.off).toBe(0);
    // The resource library: a 舞蹈室 at the demo resident's community, equipment by quantity, bookings in several states.
    const res = await database.raw.query<{ name: string; org: string; quantity: number | null }>(
      'SELECT r.name, o.name AS org, r.quantity FROM resources r JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id',
    );
    expect(res.length).toBeGreaterThanOrEqual(15);
    expect(res).toContainEqual({ name: '舞蹈室', org: '新城社区新时代文明实践站', quantity: null });
    expect(res.filter((r) => r.quantity !== null).length).toBeGreaterThanOrEqual(3);
    const states = (await database.raw.query<{ status: string }>('SELECT DISTINCT status FROM bookings')).map((r) => r.status);
    expect(states).toEqual(expect.arrayContaining(['pending', 'approved', 'completed', 'no_show']));
    expect((await database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM booking_reviews'))[0]!.n).toBe(3);
    expect(await seedDemo(database, 'demo-password', () => {}, testConfig(), size)).toBeNull();
    const [{ n }] = (await database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')) as [{ n: number }];
    expect(n).toBe(first!.orgs);
    const grants = await database.raw.query<{ role: string; name: string }>(
      'SELECT g.role, o.name FROM role_grants g JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id ORDER BY g.role, o.name',
    );
    expect(grants).toEqual(
      expect.arrayContaining([
        { role: 'org_admin', name: '小店区新时代文明实践中心' },
        { role: 'dispatcher', name: '小店区新时代文明实践中心' },
        { role: 'org_admin', name: '小井峪街道新时代文明实践所' },
      ]),
    );
    // The subtree query by ltree path finds all of 小店区.
    const [sub] = await database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orgs o, orgs c WHERE c.region_code = '140105' AND o.city_code = c.city_code AND o.path <@ c.path",
    );
    expect(sub!.n).toBeGreaterThan(100);
  });
});

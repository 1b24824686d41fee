import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRICTS, seedDemo } from '../src/seed/seed.ts';
import { chinaAt } from '../src/seed/demo-upcoming.ts';
import { testConfig } from '../src/config.ts';
import { freshDatabase, DATABASES } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import type { Database } from '../src/db/client.ts';

/**
 * The demo's days around "now" (issue 19): what a visitor tries first — an activity to sign up for
 * in the coming two weeks, a recent one with its attendance, ratings and report, residents, and a
 * stocked love supermarket — holds together. Dated from the tests' clock.
 */
describe.each(DATABASES)('the demo around now on %s', (kind) => {
  let database: Database & { drop(): Promise<void> };
  const now = testNow();
  beforeAll(async () => {
    database = await freshDatabase(kind);
    const r = await seedDemo(database, 'demo-password', () => {}, testConfig(), { districts: DEMO_DISTRICTS, historyDays: 7, now: testNow });
    expect(r).not.toBeNull();
  }, 600_000);
  afterAll(() => database?.drop());

  const q = <T>(text: string, params: unknown[] = []) => database.raw.query<T>(text, params);

  it('chinaAt is a China wall-clock time', () => {
    const at = chinaAt(new Date('2026-12-07T18:00:00Z'), 1, 9, 30); // 02:00 on the 8th in China → the 9th at 09:30
    expect(at.toISOString()).toBe('2026-12-09T01:30:00.000Z');
  });

  it('has published activities in the coming two weeks, in the daytime, with an address and sign-ups', async () => {
    const rows = await q<{ id: string; title: string; address: string | null; hour: number; signups: number; residents: number }>(
      `SELECT a.id::text, a.title, a.address, extract(hour FROM a.starts_at AT TIME ZONE 'Asia/Shanghai')::int AS hour,
              (SELECT count(*)::int FROM activity_signups s WHERE s.city_code = a.city_code AND s.activity_id = a.id) AS signups,
              (SELECT count(*)::int FROM activity_signups s WHERE s.city_code = a.city_code AND s.activity_id = a.id AND s.role = 'resident') AS residents
       FROM activities a WHERE a.state = 'published' AND a.starts_at > $1::timestamptz AND a.starts_at <= $2::timestamptz`,
      [now.toISOString(), new Date(now.getTime() + 14 * 86400_000).toISOString()],
    );
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const r of rows) {
      expect(r.address, r.title).toBeTruthy();
      expect(r.hour, r.title).toBeGreaterThanOrEqual(8);
      expect(r.hour, r.title).toBeLessThanOrEqual(20);
      expect(r.signups, r.title).toBeGreaterThan(0);
    }
    expect(rows.filter((r) => r.residents > 0).length).toBeGreaterThanOrEqual(rows.length / 2);
  });

  it('has activities held in the last ten days with attendance, hours, ratings and a published report', async () => {
    const rows = await q<{ title: string; attended: number; rated: number; report: boolean; hours: number }>(
      `SELECT a.title,
              (SELECT count(*)::int FROM activity_signups s WHERE s.city_code = a.city_code AND s.activity_id = a.id AND s.checkin_at IS NOT NULL) AS attended,
              (SELECT count(*)::int FROM activity_ratings r WHERE r.city_code = a.city_code AND r.activity_id = a.id) AS rated,
              a.report_published_at IS NOT NULL AS report,
              (SELECT coalesce(sum(h.hours), 0)::float8 FROM service_records h WHERE h.city_code = a.city_code AND h.source_type = 'activity' AND h.source_id = a.id) AS hours
       FROM activities a WHERE a.state = 'finished' AND a.starts_at > $1::timestamptz AND a.starts_at < $2::timestamptz`,
      [new Date(now.getTime() - 10 * 86400_000).toISOString(), now.toISOString()],
    );
    // Every one held had volunteers who earned hours there; the demo's recent ones also have their
    // attendance sheet, ratings and published report (the backdated history keeps only its hours).
    for (const r of rows) expect(r.hours, r.title).toBeGreaterThan(0);
    expect(rows.filter((r) => r.attended > 0 && r.rated > 0 && r.report).length).toBeGreaterThanOrEqual(5);
    // Nobody attended what they had not signed up for, and nobody served before reporting in as a volunteer.
    const [early] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM activity_signups s JOIN volunteers v ON v.city_code = s.city_code AND v.id = s.volunteer_id
       WHERE s.checkin_at IS NOT NULL AND s.checkin_at < v.created_at`,
    );
    expect(early!.n).toBe(0);
  });

  it('has residents of the demo communities and stocked love supermarkets in every demo district', async () => {
    const [residents] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM users u WHERE NOT u.is_admin
         AND u.id NOT IN (SELECT v.user_id FROM volunteers v) AND u.id NOT IN (SELECT g.user_id FROM role_grants g)`,
    );
    expect(residents!.n).toBeGreaterThanOrEqual(50);
    const shops = await q<{ region: string; n: number; stock: number }>(
      `SELECT o.region_code AS region, count(r.id)::int AS n, coalesce(sum(r.stock), 0)::int AS stock
       FROM orgs o LEFT JOIN rewards r ON r.city_code = o.city_code AND r.org_id = o.id AND r.status = 'active'
       WHERE o.level = 'center' AND o.region_code IN ('140105', '140108', '140109', '140110', '140213') GROUP BY o.region_code ORDER BY 1`,
    );
    expect(shops).toHaveLength(5);
    for (const s of shops) {
      expect(s.n, s.region).toBeGreaterThanOrEqual(4);
      expect(s.stock, s.region).toBeGreaterThan(50);
    }
  });
});

/**
 * Benchmarks (npm run bench): measured, never asserted. Runs on the embedded database, or on
 * PostgreSQL when BENCH_DATABASE_URL is set. Prints one line per measurement.
 *
 * - triage: classify latency of a resident's request
 * - orgs: subtree queries (ltree) over the demo tree of 3,400 sites
 * - orders: submissions per second through the real app (triage + insert + timeline + notices)
 * - candidates: matching over N volunteers (BENCH_VOLUNTEERS, default 20,000) near the order
 * - volunteer import: a 10,000-row .xlsx through POST /volunteers/imports (rows/second), and the export
 * - volunteer list: GET /volunteers paged through 1,000 volunteers (the largest page, 200) with 3 teams each
 *
 * `npm run bench -- --scale` runs bench/scale.ts instead: every hot path at city scale on PostgreSQL.
 */
import ExcelJS from 'exceljs';
import { idNumberCheckChar } from '@wenming/domain';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { openPglite, openPostgres } from '../apps/server/src/db/client.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { resetAdmin, seedDemo } from '../apps/server/src/seed/seed.ts';
import { createTriage } from '../apps/server/src/triage/triage.ts';
import { newId } from '../apps/server/src/lib/ids.ts';

const N_VOL = Number(process.env.BENCH_VOLUNTEERS ?? 20_000);
const line = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);
const ms = (t0: number) => performance.now() - t0;
function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main() {
  const mem0 = process.memoryUsage().rss;
  let t0 = performance.now();
  const triage = createTriage();
  line('triage: train on the corpus', `${ms(t0).toFixed(0)} ms`);
  const texts = [
    '我家老人血压高，想请医生上门量量血压',
    '小区物业乱收费我要投诉',
    '楼道灯坏了好几天了',
    '我妈在家摔倒了起不来快来人',
    '想咨询一下低保怎么申请',
  ];
  const lat: number[] = [];
  for (let i = 0; i < 2000; i++) {
    t0 = performance.now();
    triage.classify(texts[i % texts.length]!);
    lat.push(ms(t0));
  }
  line('triage: classify p50 / p99', `${pct(lat, 50).toFixed(3)} ms / ${pct(lat, 99).toFixed(3)} ms`);

  const database = process.env.BENCH_DATABASE_URL ? openPostgres(process.env.BENCH_DATABASE_URL) : await openPglite(undefined);
  await database.session((raw) => migrate(raw));
  await resetAdmin(database, '13800000000', 'bench-pass-1');
  t0 = performance.now();
  await seedDemo(database, 'bench-pass-1');
  line('seed: demo org tree', `${ms(t0).toFixed(0)} ms`);
  const app = await buildApp({ config: testConfig({ WENMING_SEED: 'none' }), database, webDist: null });
  const login = async (phone: string) =>
    (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: 'bench-pass-1' } })).json().token as string;
  const admin = await login('13800000000');
  const dispatcher = await login('13900000002');
  const resident = await login('13900000010');
  const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });

  // Subtree reads.
  const [xd] = await database.raw.query<{ id: string }>("SELECT id FROM orgs WHERE region_code = '140105'");
  const reads: number[] = [];
  for (let i = 0; i < 200; i++) {
    t0 = performance.now();
    await app.inject({ method: 'GET', url: `/api/v1/orgs?q=${encodeURIComponent('社区')}&limit=50`, headers: auth(dispatcher) });
    reads.push(ms(t0));
  }
  line('orgs: scoped search (org_admin of a district)', `p50 ${pct(reads, 50).toFixed(1)} ms, p99 ${pct(reads, 99).toFixed(1)} ms`);

  // Order submissions.
  const [station] = await database.raw.query<{ id: string; lat: number; lng: number }>("SELECT id, lat, lng FROM orgs WHERE region_code = '140105006004'");
  const n = 300;
  t0 = performance.now();
  for (let i = 0; i < n; i++)
    await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content: `${texts[i % texts.length]}（${i}）`, orgId: station!.id },
      headers: auth(resident),
    });
  const secs = ms(t0) / 1000;
  line('orders: sequential submissions', `${(n / secs).toFixed(0)} /s (${((secs * 1000) / n).toFixed(1)} ms each)`);

  // Candidates over many volunteers.
  t0 = performance.now();
  const batch = 1000;
  for (let i = 0; i < N_VOL; i += batch) {
    const values = [];
    const params: unknown[] = [];
    for (let j = 0; j < Math.min(batch, N_VOL - i); j++) {
      const k = params.length;
      values.push(`('1401', $${k + 1}, $${k + 2}, $${k + 3}, '志愿者', 'x', $${k + 4}, 'x', ARRAY['health','science','poverty'], $${k + 5}, $${k + 6})`);
      params.push(newId(), newId(), station!.id, `h${i + j}`, station!.lat + (Math.random() - 0.5) * 0.5, station!.lng + (Math.random() - 0.5) * 0.5);
    }
    await database.raw.query(
      `INSERT INTO volunteers (city_code, id, user_id, org_id, real_name, id_number_enc, id_number_hash, id_number_masked, skills, lat, lng) VALUES ${values.join(',')}`,
      params,
    );
  }
  line(`candidates: insert ${N_VOL} volunteers`, `${ms(t0).toFixed(0)} ms`);
  const order = (
    await app.inject({ method: 'POST', url: '/api/v1/orders', payload: { content: '想请医生上门量血压', orgId: station!.id }, headers: auth(resident) })
  ).json();
  const cand: number[] = [];
  for (let i = 0; i < 30; i++) {
    t0 = performance.now();
    const res = await app.inject({ method: 'GET', url: `/api/v1/orders/${order.id}/candidates`, headers: auth(dispatcher) });
    if (res.statusCode !== 200) throw new Error(res.body);
    cand.push(ms(t0));
  }
  line(`candidates: ranked list over ${N_VOL} volunteers`, `p50 ${pct(cand, 50).toFixed(1)} ms, p99 ${pct(cand, 99).toFixed(1)} ms`);
  const stats: number[] = [];
  for (let i = 0; i < 20; i++) {
    t0 = performance.now();
    await app.inject({ method: 'GET', url: `/api/v1/stats/overview?orgId=${xd!.id}`, headers: auth(admin) });
    stats.push(ms(t0));
  }
  line('stats: overview of a district', `p50 ${pct(stats, 50).toFixed(1)} ms`);
  // Bulk import of volunteers: one 10,000-row sheet, imported in the background in batches.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('志愿者名单');
  ws.addRow(['姓名', '身份证号', '手机号', '报到阵地', '技能', '政治面貌', '工作单位', '团队']);
  const N_IMPORT = 10_000;
  for (let i = 0; i < N_IMPORT; i++) {
    const birth = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `140105${birth}${String(i % 1000).padStart(3, '0')}`;
    ws.addRow([
      `导入志愿者${String.fromCharCode(0x4e00 + (i % 2000))}`,
      first17 + idNumberCheckChar(first17),
      `135${String(i).padStart(8, '0')}`,
      station!.id,
      '医疗健身',
      i % 5 ? '群众' : '中共党员',
      i % 5 ? '' : `单位${i % 13}`,
      '',
    ]);
  }
  const sheet = Buffer.from(await wb.xlsx.writeBuffer());
  const boundary = '----bench-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    sheet,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  t0 = performance.now();
  const started = await app.inject({
    method: 'POST',
    url: '/api/v1/volunteers/imports',
    payload,
    headers: { ...auth(dispatcher), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  if (started.statusCode !== 202) throw new Error(started.body);
  const accepted = ms(t0);
  await app.modules.volunteerBulk.settled(started.json().id);
  const importSecs = ms(t0) / 1000;
  const job = (await app.inject({ method: 'GET', url: `/api/v1/volunteers/imports/${started.json().id}`, headers: auth(dispatcher) })).json();
  if (job.imported !== N_IMPORT) throw new Error(`import: ${JSON.stringify(job).slice(0, 300)}`);
  line(
    `volunteer import: ${N_IMPORT} rows (.xlsx, ${(sheet.length / 1024).toFixed(0)} KiB)`,
    `${(N_IMPORT / importSecs).toFixed(0)} rows/s (${importSecs.toFixed(1)} s; file read and 202 in ${accepted.toFixed(0)} ms)`,
  );
  // The list pages through the 1,000 newest volunteers (the imported ones), each in 3 of 8 teams.
  const LIST_N = 1000;
  const LIST_PAGE = 200; // the largest `limit` GET /volunteers accepts
  const teamIds = Array.from({ length: 8 }, () => newId());
  await database.raw.query(
    `INSERT INTO teams (city_code, id, org_id, name, tier, type, category) SELECT '1401', t.id, $2, '压测服务队' || t.n, 'unit', 'social', 'health' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [teamIds, station!.id],
  );
  await database.raw.query(
    `INSERT INTO team_members (city_code, team_id, volunteer_id, joined_at)
     SELECT v.city_code, ($2::uuid[])[1 + (v.n + k) % 8], v.id, now() + k * interval '1 second'
     FROM (SELECT city_code, id, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n FROM volunteers ORDER BY created_at DESC, id DESC LIMIT $1) v, generate_series(0, 2) AS k`,
    [LIST_N, teamIds],
  );
  const listPages: number[] = [];
  t0 = performance.now();
  let listed = 0;
  let cursor: string | null = null;
  while (listed < LIST_N) {
    const t1 = performance.now();
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/volunteers?limit=${LIST_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: auth(dispatcher),
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    const body: { items: { teams: unknown[] }[]; nextCursor: string | null } = res.json();
    listPages.push(ms(t1));
    listed += body.items.length;
    if (body.items.some((v) => v.teams.length !== 3)) throw new Error('volunteer list: expected 3 teams on every listed volunteer');
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  if (listed !== LIST_N) throw new Error(`volunteer list: listed ${listed}`);
  line(`volunteer list: ${LIST_N} with 3 teams each, ${LIST_PAGE}/page`, `${ms(t0).toFixed(0)} ms (p50 ${pct(listPages, 50).toFixed(0)} ms per page)`);
  t0 = performance.now();
  const exported = await app.inject({ method: 'GET', url: '/api/v1/volunteers/export', headers: auth(dispatcher) });
  if (exported.statusCode !== 200) throw new Error(exported.body);
  line('volunteer export: the district as .xlsx', `${ms(t0).toFixed(0)} ms (${(exported.rawPayload.length / 1024).toFixed(0)} KiB)`);
  line(
    'memory: resident set size',
    `${((process.memoryUsage().rss - mem0) / 1048576).toFixed(0)} MiB growth, ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB total`,
  );
  await app.close();
  await database.close();
}

// `npm run bench -- --scale`: the hot paths at city scale, each next to its ceilings (bench/scale.ts).
if (process.argv.includes('--scale')) await import('./scale.ts');
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });

// 成效评估: the admin computes last month's evaluation in the console and reads the ranking with
// its diagnostic flags, opens a station's scorecard (indicator bars against target, flags,
// suggestions); the 小店区 org admin tries to save an indicator system whose weights do not sum
// to 100 (refused on the page), fixes it and saves; a station's own admin lands on its own card.
import { ADMIN_PHONE, DEMO, DESKTOP, PASSWORD, apiLogin, assert, signIn } from '../lib/harness.mjs';

function lastMonth() {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const [y, m] = d.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export default async function evaluationJourney(t) {
  const period = lastMonth();
  const adminToken = await apiLogin(t, ADMIN_PHONE);

  // 1. The admin opens 成效评估 → 评估结果 for last month: nothing computed yet; computes it.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, ADMIN_PHONE, PASSWORD, '/admin');
  await desk.goto(`/admin/evaluation?period=${period}`);
  await desk.getByText('尚未计算评估结果').waitFor();
  await desk.getByTestId('evaluation-compute').first().click();
  await desk.getByTestId('evaluation-table').waitFor({ timeout: 60_000 });
  await desk.getByText('已结束，结果已固定').waitFor();
  await t.shot(desk, 'ranking');

  // Stations only, with diagnostic problems.
  await desk.locator('.ant-segmented-item').filter({ hasText: /^站$/ }).click();
  await desk.getByRole('switch', { name: '只看有诊断问题的阵地' }).click();
  await desk.waitForURL((u) => u.searchParams.get('flagged') === '1' && u.searchParams.get('level') === 'station');
  await desk.locator('.ant-table-row').first().waitFor();
  await t.shot(desk, 'flagged-stations');

  // 2. The best station's scorecard: its total, rank and the chart.
  const list = await t.api(`/evaluations?period=${period}&level=station&limit=1`, { token: adminToken });
  assert(list.status === 200 && list.body.items.length === 1, `ranking: ${list.status}`);
  const best = list.body.items[0];
  await desk.goto(`/admin/evaluation/sites/${best.orgId}?period=${period}`);
  await desk.getByTestId('total').waitFor();
  assert((await desk.getByTestId('total').textContent()).trim() === String(best.total), 'the card shows the stored total');
  await desk.getByRole('img', { name: '各项指标得分与目标' }).waitFor();
  await desk.getByText('改进建议').waitFor();
  await t.shot(desk, 'scorecard');

  // 3. The 小店区 org admin edits the district's indicator system: weights must sum to 100.
  const org = await t.newPage(DESKTOP);
  await signIn(org, DEMO.orgAdmin, PASSWORD, '/admin');
  await org.goto('/admin/indicators');
  await org.getByTestId('indicator-edit').click();
  await org.getByTestId('sum-station').waitFor();
  // Drop the first station indicator: the station sum falls below 100 and saving is refused.
  const stationRow = org.locator('.ant-table-row').filter({ hasText: 'S01' });
  await stationRow.getByRole('button', { name: '删除' }).click();
  await org.getByText('同一层级的权重合计须为 100').waitFor();
  assert(await org.getByTestId('indicator-save').isDisabled(), 'saving is refused while a level does not sum to 100');
  await org.evaluate(() => window.scrollTo(0, 0));
  await t.shot(org, 'weights-refused');
  // Give its weight to another station indicator, then save.
  const s02 = org.locator('.ant-table-row').filter({ hasText: 'S02' });
  await s02.getByRole('button', { name: '编辑' }).click();
  const weight = org.getByLabel('权重');
  await weight.fill('40');
  await org.getByRole('button', { name: /确\s*定/ }).click();
  await org.getByTestId('indicator-save').click();
  await org.getByText('指标体系已保存').waitFor();
  await org.getByText('本级自定').first().waitFor();
  await t.shot(org, 'own-system');
  const orgToken = await apiLogin(t, DEMO.orgAdmin);
  const me = await t.api('/me', { token: orgToken });
  const sys = await t.api(`/evaluation-indicators?orgId=${me.body.roles.find((r) => r.role === 'org_admin').orgId}`, { token: orgToken });
  assert(sys.body.levels.find((l) => l.level === 'station').source === 'own', 'the district now has its own station indicators');

  // 4. A station's own admin lands on the station's card.
  const phone = '13900000088';
  const u = await t.api('/users', { method: 'POST', token: adminToken, body: { phone, name: '站点管理员', password: PASSWORD } });
  assert(u.status === 201, `user: ${u.status}`);
  const g = await t.api(`/users/${u.body.id}/roles`, { method: 'POST', token: adminToken, body: { role: 'org_admin', orgId: best.orgId } });
  assert(g.status === 201, `grant: ${g.status} ${JSON.stringify(g.body)}`);
  const own = await t.newPage(DESKTOP);
  await signIn(own, phone, PASSWORD, '/admin');
  await own.goto(`/admin/evaluation?period=${period}`);
  await own.waitForURL((url) => url.pathname === `/admin/evaluation/sites/${best.orgId}` && url.searchParams.get('period') === period);
  await own.getByTestId('total').waitFor();
  await own.getByText(best.orgName).first().waitFor();
  await t.shot(own, 'own-card');
}

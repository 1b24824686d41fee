// Stored markup never runs (issue 15): staff can name things, and a name is shown to others —
// in chart tooltips (ECharts renders those as HTML), tables and cards. The 小店区 org admin names
// a station, an activity and the district's evaluation indicators with markup that would run a script; the super admin then opens the
// district's big screen (hovering the whole map, whose tooltips name the sites), the evaluation
// ranking and the station's scorecard (hovering its chart), the site tree and the activity list.
// Nothing may execute, no <img> from the name may reach the page, no CSP violation may fire (that
// would mean the markup reached the DOM as markup and only the CSP stopped it), and the names
// must still be readable as text.
import { ADMIN_PHONE, DEMO, DESKTOP, PASSWORD, apiLogin, assert, findStation, signIn } from '../lib/harness.mjs';

const MARK = 'xp';
const PAYLOAD = `<img src="x" data-probe="${MARK}" onerror="window.__probe=(window.__probe||0)+1">`;
/** For fields of at most 50 characters (indicator names). */
const SHORT = `<img src=x data-probe=${MARK} onerror=__probe=1>`;
const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

function lastMonth() {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const [y, m] = d.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Watches a page for anything the markup could do. */
async function guard(page) {
  const events = [];
  page.on('dialog', async (d) => {
    events.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations = [...(window.__violations ?? []), `${e.violatedDirective} ${e.blockedURI}`];
    });
  });
  return async (where) => {
    const state = await page.evaluate(
      (mark) => ({
        ran: window.__probe ?? 0,
        imgs: document.querySelectorAll(`img[data-probe="${mark}"]`).length,
        violations: window.__violations ?? [],
      }),
      MARK,
    );
    assert(state.ran === 0, `${where}: the markup ran ${state.ran} time(s)`);
    assert(state.imgs === 0, `${where}: ${state.imgs} <img> element(s) made from a name`);
    assert(state.violations.length === 0, `${where}: CSP violations ${state.violations.join('; ')}`);
    assert(events.length === 0, `${where}: ${events.join('; ')}`);
  };
}

/** Moves the mouse over a grid of points of an element, so every chart tooltip in it shows once. */
async function hoverAll(page, locator, steps = 14) {
  const box = await locator.boundingBox();
  assert(box, 'the chart has a box');
  for (let i = 1; i < steps; i++) for (let j = 1; j < steps; j++) await page.mouse.move(box.x + (box.width * i) / steps, box.y + (box.height * j) / steps);
}

export default async function markupNamesJourney(t) {
  const districtToken = await apiLogin(t, DEMO.orgAdmin);
  const adminToken = await apiLogin(t, ADMIN_PHONE);

  // The district's staff name a station and an activity with markup.
  const station = await findStation(t, districtToken, '坞城');
  const stationName = `${station.name}${PAYLOAD}`.slice(0, 100);
  const renamed = await t.api(`/orgs/${station.id}`, { method: 'PATCH', token: districtToken, body: { name: stationName } });
  assert(renamed.status === 200, `rename station: ${renamed.status} ${JSON.stringify(renamed.body)}`);
  const acts = await t.api(`/activities?limit=1&orgId=${station.id}`, { token: districtToken });
  const activity = acts.body?.items?.[0];
  if (activity) {
    const r = await t.api(`/activities/${activity.id}`, {
      method: 'PATCH',
      token: districtToken,
      body: { title: `${PAYLOAD}${activity.title}`.slice(0, 100) },
    });
    t.log('activity renamed', r.status);
  }

  // The district's own indicator system, each indicator's name starting with markup (the scorecard
  // chart's tooltip shows it).
  const center = (await t.api(`/orgs?q=${encodeURIComponent('小店区')}&level=center`, { token: adminToken })).body.items.find((o) => o.level === 'center');
  const system = await t.api(`/evaluation-indicators?orgId=${center.id}`, { token: districtToken });
  assert(system.status === 200, `indicators: ${system.status}`);
  // Only the levels below the center are its own to set (stations, institutes, points).
  const indicators = system.body.effective
    .filter((i) => !i.levels.includes('center'))
    .map((i) => ({
      code: i.code,
      name: `${SHORT}${i.name}`.slice(0, 50),
      metric: i.metric,
      target: i.target,
      weight: i.weight,
      levels: i.levels,
      ...(i.description ? { description: i.description } : {}),
    }));
  const saved = await t.api('/evaluation-indicators', { method: 'PUT', token: districtToken, body: { orgId: center.id, indicators } });
  assert(saved.status === 200, `save indicators: ${saved.status} ${JSON.stringify(saved.body).slice(0, 300)}`);

  // The district's big screen, every part of its map hovered.
  const screen = await t.newPage(SCREEN);
  const checkScreen = await guard(screen);
  await signIn(screen, ADMIN_PHONE, PASSWORD, '/admin');
  await screen.goto(`/screen/dashboard/${center.id}`);
  const map = screen.getByTestId('district-map');
  await map.locator('canvas').first().waitFor({ timeout: 60_000 });
  await screen.waitForTimeout(1500);
  await hoverAll(screen, map);
  await t.shot(screen, 'screen-hovered');
  await checkScreen('big screen');

  // The evaluation: the ranking table and the station's scorecard chart.
  const period = lastMonth();
  const computed = await t.api('/evaluations/compute', { method: 'POST', token: adminToken, body: { period, force: true } });
  assert(computed.status === 200, `compute: ${computed.status} ${JSON.stringify(computed.body)}`);
  const desk = await t.newPage(DESKTOP);
  const checkDesk = await guard(desk);
  await signIn(desk, ADMIN_PHONE, PASSWORD, '/admin');
  await desk.goto(`/admin/evaluation/sites/${station.id}?period=${period}`);
  await desk.getByTestId('total').waitFor({ timeout: 60_000 });
  // The name is shown as text, markup and all.
  await desk.getByText(MARK, { exact: false }).first().waitFor({ timeout: 60_000 });
  const chart = desk.getByRole('img', { name: '各项指标得分与目标' });
  await chart.waitFor({ timeout: 60_000 });
  await hoverAll(desk, chart, 10);
  await t.shot(desk, 'scorecard-hovered');
  await checkDesk('scorecard');

  // The site tree and the activity list name them too.
  await desk.goto(`/admin/orgs?org=${station.id}`);
  await desk.getByText(MARK, { exact: false }).first().waitFor({ timeout: 60_000 });
  await checkDesk('site tree');
  if (activity) {
    await desk.goto('/admin/activities');
    await desk.locator('.ant-table-row').first().waitFor({ timeout: 60_000 });
    await checkDesk('activity list');
  }
  await t.shot(desk, 'names-as-text');
}

// g2. 每周活动: the 小店区 org admin creates a weekly class (太极拳班) with a picture and 3
// occurrences in the console, sees the dates before saving, renames the first draft (PATCH of the
// changed field only), publishes the whole series; a resident
// finds the class on the phone and sees its picture and "每周X … 共 3 次" with the next dates;
// in 活动风采 they read the reports of every district, then only those of their own district.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, assert, findStation, localInput, pickOption, signIn } from '../lib/harness.mjs';

const TITLE = '永康北路社区太极拳晨练班';
const STATION = '永康北路';
const RESIDENT = '13900000010';

export default async function activityReportJourney(t) {
  const orgToken = await apiLogin(t, DEMO.orgAdmin);
  await findStation(t, orgToken, STATION);

  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.goto('/admin/activities/new');
  // A picture drawn in the page (a PNG), uploaded through the editor's picture card.
  const png = Buffer.from(
    await desk.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 480;
      c.height = 320;
      const g = c.getContext('2d');
      const sky = g.createLinearGradient(0, 0, 0, 320);
      sky.addColorStop(0, '#ffd58a');
      sky.addColorStop(1, '#f07b3f');
      g.fillStyle = sky;
      g.fillRect(0, 0, 480, 320);
      g.fillStyle = '#3f7d3a';
      g.fillRect(0, 220, 480, 100);
      return c.toDataURL('image/png').split(',')[1];
    }),
    'base64',
  );

  // Next Saturday 08:30–10:00 (China time), then two more Saturdays.
  const china = new Date(Date.now() + 8 * 3600_000);
  const days = (6 - china.getUTCDay() + 7) % 7 || 7;
  const first = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() + days, 0, 30);
  await desk.getByLabel('活动名称').fill('太极拳班（待定名）');
  await pickOption(desk, '服务类别', null, '医疗健身');
  await pickOption(desk, '举办阵地', STATION, '永康北路社区新时代文明实践站');
  await desk.getByTestId('activity-starts').fill(localInput(first));
  await desk.getByTestId('activity-ends').fill(localInput(first + 90 * 60_000));
  await desk.getByLabel('志愿者名额').fill('2');
  await desk.getByLabel('群众名额').fill('20');
  await desk.getByTestId('activity-repeat-switch').click();
  await desk.getByLabel('共几次').fill('3');
  // The editor lists the dates the series will have.
  await desk.getByTestId('repeat-date').nth(2).waitFor();
  assert((await desk.getByTestId('repeat-date').count()) === 3, 'three dates listed');
  await desk.getByTestId('activity-photos').locator('input[type=file]').setInputFiles({ name: 'taiji.png', mimeType: 'image/png', buffer: png });
  await desk.getByTestId('activity-photos').locator('.ant-upload-list-item-done').waitFor();
  await t.shot(desk, 'editor-weekly');
  await desk.getByTestId('activity-save').click();
  await desk.waitForURL(/\/admin\/activities\/[0-9a-f-]{36}$/);
  const firstId = desk.url().split('/').pop();
  await desk.getByText('已保存 3 次活动草稿').waitFor();

  // The draft is edited before publishing: only the changed field is sent.
  await desk.getByTestId('activity-edit').click();
  await desk.waitForURL(`**/admin/activities/${firstId}/edit`);
  await desk.getByLabel('活动名称').fill(TITLE);
  const [patch] = await Promise.all([
    desk.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/activities/${firstId}`)),
    desk.getByTestId('activity-save').click(),
  ]);
  assert(patch.postData() === JSON.stringify({ title: TITLE }), `PATCH sends only the title: ${patch.postData()}`);
  await desk.waitForURL(`**/admin/activities/${firstId}`);
  await desk.getByTestId('activity-title').filter({ hasText: TITLE }).waitFor();

  // The activity page lists the occurrences (drafts) and publishes them together.
  const series = desk.getByTestId('series-card');
  await series.getByTestId('series-item').nth(2).waitFor();
  await series.getByText('每周六 08:30–10:00，共 3 次').waitFor();
  await desk.getByTestId('activity-photos').locator('img').waitFor();
  await series.getByTestId('series-publish').click();
  await desk
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /全部发布/ })
    .click();
  await desk.getByText('已发布整个系列（3 次活动），开始招募').waitFor();
  await desk.waitForFunction(() => {
    const tags = [...document.querySelectorAll('[data-testid=series-item] [data-testid=activity-state]')];
    return tags.length === 3 && tags.every((e) => e.getAttribute('data-state') === 'published');
  });
  await t.shot(desk, 'admin-series-published');
  const listed = await t.api(`/activities?seriesId=${firstId}`, { token: orgToken });
  assert(listed.status === 200 && listed.body.items.length === 3, `series: ${listed.status} ${JSON.stringify(listed.body).slice(0, 300)}`);
  assert(
    listed.body.items.every((a) => a.state === 'published' && a.photoIds.length === 1 && a.seriesId === firstId),
    `all published with the picture: ${JSON.stringify(listed.body.items.map((a) => [a.state, a.photoIds, a.seriesId]))}`,
  );
  const gaps = listed.body.items.slice(1).map((a, i) => Date.parse(a.startsAt) - Date.parse(listed.body.items[i].startsAt));
  assert(
    gaps.every((g) => g === 7 * 86_400_000),
    `one week apart: ${gaps}`,
  );

  // A resident finds the class on the phone: its picture, and the weekly line with the next dates.
  const mobile = await t.newPage(PHONE);
  await signIn(mobile, RESIDENT, PASSWORD, '/h5');
  await mobile.goto(`/h5/activities?q=${encodeURIComponent('太极拳晨练')}`);
  const card = mobile.getByTestId('activity-card').filter({ hasText: TITLE }).first();
  await card.waitFor();
  await card.tap();
  await mobile.waitForURL(/\/h5\/activities\/[0-9a-f-]{36}$/);
  const photo = mobile.getByTestId('activity-photos').locator('img').first();
  await photo.waitFor();
  await mobile.waitForFunction(() => {
    const img = document.querySelector('[data-testid=activity-photos] img');
    return img && img.complete && img.naturalWidth === 480;
  });
  await mobile.getByTestId('weekly-line').filter({ hasText: '每周六 08:30–10:00，共 3 次' }).waitFor();
  await mobile.getByTestId('signup-resident').waitFor();
  const next = mobile.getByTestId('weekly-next');
  assert((await next.count()) === 2, `the two other Saturdays are listed: ${await next.count()}`);
  await t.shot(mobile, 'h5-weekly');
  const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);

  // 活动风采: the demo resident's community is on the account (issue 19's coherent demo), so the
  // reports open on that district's, and the API's district list leads what the phone shows.
  await mobile.goto('/h5/activities?tab=report');
  await mobile.getByTestId('activity-scope').filter({ hasText: '小店区的活动' }).waitFor();
  await mobile.getByTestId('report-card').first().waitFor();
  await t.shot(mobile, 'h5-reports-my-district');
  const resToken = await apiLogin(t, RESIDENT);
  const shown = await mobile.getByTestId('report-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  const center = (await t.api(`/sites?q=${encodeURIComponent('小店区')}&level=center`, { token: resToken })).body.items[0];
  const district = (await t.api(`/activities?report=true&orgId=${center.id}&limit=10`, { token: resToken })).body.items.map((a) => a.id);
  const everywhere = (await t.api('/activities?report=true&limit=10', { token: resToken })).body.items.map((a) => a.id);
  assert(
    district.length > 0 && JSON.stringify(shown.slice(0, district.length)) === JSON.stringify(district),
    `the district's reports: ${shown} vs ${district}`,
  );
  assert(JSON.stringify(district) !== JSON.stringify(everywhere), 'the demo has reports of other districts too');
}

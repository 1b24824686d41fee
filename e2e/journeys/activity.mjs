// g. 活动: the 小店区 org admin creates an activity at a community station in the console and
// publishes it; a volunteer finds it on a phone and signs up; the check-in screen shows the QR
// code, the phone opens its link and checks in on the spot; the organiser records full attendance
// by hand, exports the list, finishes the activity; the volunteer sees a pending service record.
import ExcelJS from 'exceljs';
import {
  DEMO,
  DESKTOP,
  PASSWORD,
  PHONE,
  apiLogin,
  apiRegister,
  assert,
  findStation,
  freshPhone,
  localInput,
  makeIdNumber,
  openedDialog,
  pickCommunity,
  pickOption,
  signIn,
} from '../lib/harness.mjs';

const TITLE = '永康北路社区“清洁家园”环境整治志愿活动';
const NAME = '郭晓峰';
const STATION = '永康北路';

export default async function activityJourney(t) {
  const orgToken = await apiLogin(t, DEMO.orgAdmin);
  const station = await findStation(t, orgToken, STATION);
  assert(station.lat !== null && station.lng !== null, 'the demo station has a position');

  // A volunteer of the station, reported in through the API.
  const phone = freshPhone('137');
  const password = 'xiaofeng-2026';
  const { token: volToken } = await apiRegister(t, { phone, name: NAME, password });
  const reg = await t.api('/volunteers', {
    method: 'POST',
    token: volToken,
    body: { realName: NAME, idNumber: makeIdNumber(4207), orgId: station.id, skills: ['environment'], lat: station.lat, lng: station.lng },
  });
  assert(reg.status === 201, `volunteer: ${reg.status} ${JSON.stringify(reg.body)}`);

  // 1. The org admin creates the activity in the console.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.getByRole('menuitem', { name: /活动管理/ }).click();
  await desk.waitForURL('**/admin/activities');
  await desk.getByTestId('activity-table').waitFor();
  await t.shot(desk, 'admin-list');
  await desk.getByTestId('activity-new').click();
  await desk.waitForURL('**/admin/activities/new');
  // Nothing filled: the form says what is missing, nothing is sent.
  await desk.getByTestId('activity-save').click();
  await desk.getByText('请填写活动名称').waitFor();
  await desk.getByText('请选择举办阵地').waitFor();
  await t.shot(desk, 'editor-errors');

  const now = Date.now();
  const startsAt = now - 5 * 60_000;
  const endsAt = now + 2 * 3600_000;
  await desk.getByLabel('活动名称').fill(TITLE);
  await pickOption(desk, '服务类别', null, '卫生环保');
  await pickOption(desk, '举办阵地', STATION, '永康北路社区新时代文明实践站');
  // The site's address and position fill the place fields.
  await desk.waitForFunction((address) => document.querySelector('#activity_address')?.value === address, station.address);
  await desk.getByTestId('activity-starts').fill(localInput(startsAt));
  await desk.getByTestId('activity-ends').fill(localInput(endsAt));
  await desk.getByTestId('activity-deadline').fill(localInput(now + 3600_000));
  await desk.getByLabel('志愿者名额').fill('3');
  await desk.getByLabel('签到范围').fill('500');
  await desk.getByLabel('仅限年满18周岁').click();
  await desk
    .locator('#activity_description')
    .fill('清理楼道小广告、整理共享单车、捡拾绿化带垃圾。\n集合地点：社区党群服务中心门口。\n请穿运动鞋，社区提供手套和垃圾袋。');
  await t.shot(desk, 'editor-filled');
  await desk.getByTestId('activity-save').click();
  await desk.waitForURL(/\/admin\/activities\/[0-9a-f-]{36}$/);
  const activityId = desk.url().split('/').pop();
  await desk.getByTestId('activity-title').filter({ hasText: TITLE }).waitFor();
  await desk.getByTestId('activity-state').filter({ hasText: '草稿' }).waitFor();
  await t.shot(desk, 'admin-draft');

  // 2. Published after a confirmation.
  await desk.getByTestId('activity-publish').click();
  await desk
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /发\s*布/ })
    .click();
  await desk.getByText('已发布，开始招募').waitFor();
  await desk.getByTestId('activity-state').filter({ hasText: '进行中' }).waitFor();
  const created = await t.api(`/activities/${activityId}`, { token: orgToken });
  assert(
    created.body.state === 'published' && created.body.volunteerQuota === 3 && created.body.geofenceM === 500 && created.body.adultsOnly === true,
    `as entered: ${JSON.stringify(created.body).slice(0, 400)}`,
  );
  assert(Math.abs(Date.parse(created.body.signupDeadline) - (now + 3600_000)) < 120_000, `deadline in an hour: ${created.body.signupDeadline}`);
  // The month calendar shows it on its day; a click opens it.
  await desk.goto('/admin/activities?view=calendar');
  const calItem = desk
    .getByTestId('calendar-activity')
    .filter({ hasText: TITLE.slice(0, 6) })
    .first();
  await calItem.waitFor();
  await t.shot(desk, 'admin-calendar');
  await calItem.click();
  await desk.waitForURL(`**/admin/activities/${activityId}`);

  // 3. The volunteer finds it near their community on the phone and signs up.
  const mobile = await t.newPage({ ...PHONE, permissions: ['geolocation'], geolocation: { latitude: station.lat + 0.001, longitude: station.lng + 0.001 } });
  await signIn(mobile, phone, password, '/h5');
  await mobile.getByTestId('tab-活动').tap();
  await mobile.waitForURL('**/h5/activities');
  await mobile.getByTestId('activity-pick-community').tap();
  await pickCommunity(mobile, STATION);
  await mobile.getByTestId('activity-scope').filter({ hasText: '小店区的活动' }).waitFor();
  const card = mobile.getByTestId('activity-card').filter({ hasText: TITLE });
  await card.waitFor();
  await card.getByText('志愿者 剩 3/3').waitFor();
  await t.shot(mobile, 'h5-list');
  // The category chips filter the list.
  await mobile.locator('.act-cats').getByText('理论政策宣讲', { exact: true }).tap();
  await card.waitFor({ state: 'detached' });
  await mobile.locator('.act-cats').getByText('卫生环保', { exact: true }).tap();
  await card.tap();
  await mobile.waitForURL(`**/h5/activities/${activityId}`);
  await mobile.getByTestId('activity-title').filter({ hasText: TITLE }).waitFor();
  assert((await mobile.getByTestId('signup-resident').count()) === 0, 'no 群众报名 when the activity takes no residents');
  await t.shot(mobile, 'h5-detail');
  await mobile.getByTestId('signup-volunteer').tap();
  await mobile.getByText('报名成功（志愿者）').waitFor();
  await mobile.getByTestId('my-signup').getByText('已报名').waitFor();
  await mobile.getByTestId('quota-volunteer').getByText('剩 2 个').waitFor();
  await t.shot(mobile, 'h5-signed-up');
  // The detail page is the recruitment link: 分享 shows it as a QR code.
  await mobile.getByTestId('share-button').tap();
  const shareUrl = await mobile.getByTestId('share-qr').getAttribute('data-url');
  assert(shareUrl === `${t.baseUrl}/h5/activities/${activityId}`, `share link: ${shareUrl}`);
  await t.shot(mobile, 'h5-share');
  await mobile.locator('.act-sheet .ant-drawer-close').tap();
  await mobile.getByTestId('share-sheet').waitFor({ state: 'detached' });

  // 4. The check-in screen at the venue (1920×1080): the QR code of the current code.
  const screen = await t.newPage({ ...DESKTOP, viewport: { width: 1920, height: 1080 } });
  await signIn(screen, DEMO.orgAdmin, PASSWORD, '/admin');
  await screen.goto(`/screen/checkin/${activityId}`);
  await screen.getByTestId('screen-title').filter({ hasText: TITLE }).waitFor();
  const qr = screen.getByTestId('screen-qr');
  await qr.waitFor();
  const shownUrl = await qr.getAttribute('data-url');
  assert(shownUrl?.startsWith(`${t.baseUrl}/h5/checkin/${activityId}?code=`), `QR link: ${shownUrl}`);
  assert((await screen.getByTestId('screen-checked-in').innerText()) === '0', 'nobody checked in yet');
  await t.shot(screen, 'screen');
  // The same link, built as the screen builds it from the organiser's current code.
  const code = await t.api(`/activities/${activityId}/checkin-code`, { token: orgToken });
  assert(code.status === 200 && code.body.code, `checkin-code: ${code.status} ${JSON.stringify(code.body)}`);
  const checkinUrl = `${t.baseUrl}/h5/checkin/${activityId}?code=${encodeURIComponent(code.body.code)}`;

  // 5. The phone opens it (as the camera would) and checks in within the geofence.
  await mobile.goto(checkinUrl);
  await mobile.getByTestId('checkin-result').and(mobile.locator('[data-ok="true"]')).waitFor();
  await mobile.getByText('签到成功').waitFor();
  await t.shot(mobile, 'h5-checked-in');
  // Scanning again before the end asks before checking out.
  await mobile.goto(checkinUrl);
  await mobile.getByTestId('confirm-checkout').waitFor();
  await t.shot(mobile, 'h5-confirm-checkout');
  await mobile.goto(`/h5/activities/${activityId}`);
  await mobile.getByTestId('my-signup').getByText('已签到').waitFor();
  // The screen counts her.
  await screen.reload();
  await screen.getByTestId('screen-checked-in').filter({ hasText: /^1$/ }).waitFor();
  await screen.getByTestId('screen-mode-checkout').click();
  await screen.getByTestId('screen-call').filter({ hasText: '请用手机扫码签退' }).waitFor();
  await t.shot(screen, 'screen-checkout');

  // 6. The organiser records full attendance by hand (she left her phone at home for the check-out).
  await desk.reload();
  const row = desk.getByTestId('signup-table').locator('tr').filter({ hasText: NAME });
  await row.waitFor();
  await row.getByText('未签到').waitFor({ state: 'detached' });
  await row.getByTestId('attendance-button').click();
  const dialog = await openedDialog(desk, `补录出勤：${NAME}`);
  await dialog.getByTestId('attendance-full').click();
  await dialog.getByText('在场 2 小时 5 分钟').waitFor();
  await dialog.getByTestId('attendance-reason').fill('手机没电未能签退，现场纸质签到表核对全程在场');
  await t.shot(desk, 'admin-attendance');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await desk.getByText(`已补录 ${NAME} 的出勤`).waitFor();
  await row.getByText('2 小时').waitFor();
  await row.getByText('100%').waitFor();
  await t.shot(desk, 'admin-signups');

  // The list exports as Excel from the server: everyone signed up, the phone masked, the manual attendance's reason.
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('export-signups').click()]);
  assert(
    download.suggestedFilename().includes('清洁家园') && download.suggestedFilename().endsWith('-报名与出勤名单.xlsx'),
    `file name: ${download.suggestedFilename()}`,
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.worksheets[0];
  const header = sheet.getRow(1).values.slice(1).join(',');
  assert(header === '身份,姓名,手机号,报名状态,候补顺位,报名时间,签到时间,签退时间,出勤比例（%）,时长（小时）,补录说明', `sheet header: ${header}`);
  const mine = sheet.getRows(2, Math.max(1, sheet.rowCount - 1))?.find((r) => r.getCell(2).text === NAME);
  assert(mine, `sheet rows: ${sheet.rowCount}`);
  assert(
    mine.getCell(1).text === '志愿者' && mine.getCell(3).text === `${phone.slice(0, 3)}****${phone.slice(7)}` && mine.getCell(4).text === '已报名',
    `row: ${mine.values}`,
  );
  assert(mine.getCell(10).text === '2' && mine.getCell(11).text.includes('手机没电'), `attendance: ${mine.values}`);

  // 7. Finish: one pending service record from the attendance.
  await desk.getByTestId('activity-finish').click();
  const finish = await openedDialog(desk, '结束活动');
  await finish.getByTestId('finish-summary').getByText('将为 1 位志愿者生成服务时长').waitFor();
  await finish.getByTestId('finish-text').fill('共 1 名志愿者参加，清理小广告 60 余处，整理共享单车 40 余辆。');
  await t.shot(desk, 'admin-finish');
  await finish.getByRole('button', { name: /结束活动/ }).click();
  await desk.getByText('活动已结束，生成 1 条待审核的服务时长记录').waitFor();
  await desk.getByTestId('activity-state').filter({ hasText: '已结束' }).waitFor();
  await t.shot(desk, 'admin-finished');

  // 8. The volunteer sees the pending hours on 我的志愿.
  const me = await t.api('/volunteers/me', { token: volToken });
  const records = await t.api(`/volunteers/${me.body.id}/records`, { token: volToken });
  const rec = records.body.items?.find((r) => r.source === 'activity' && r.sourceId === activityId);
  assert(rec && rec.status === 'pending' && rec.hours === 2, `pending record: ${JSON.stringify(records.body).slice(0, 400)}`);
  await mobile.goto('/h5/volunteer');
  const list = mobile.getByTestId('volunteer-records');
  await list.getByText(TITLE).waitFor();
  await list.getByText('待审核').first().waitFor();
  await t.shot(mobile, 'h5-volunteer-pending');
  await mobile.goto(`/h5/activities/${activityId}`);
  await mobile.getByTestId('activity-state').filter({ hasText: '已结束' }).waitFor();
  await mobile.getByText('共 1 名志愿者参加').waitFor();
  await t.shot(mobile, 'h5-finished');
  const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);
}

// g. Staff bulk-import volunteers from Excel on 志愿者: download the template, upload a sheet
// with good and bad rows, watch the result, download the bad rows, export the filtered list, and
// see the imported Party members under their work unit on 党员双报到. The org admin gives one
// of them an activation code (激活码); she sets her password on her phone and is signed in.
import ExcelJS from 'exceljs';
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, assert, freshPhone, makeIdNumber, openedDialog, signIn } from '../lib/harness.mjs';

async function readDownload(download) {
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks));
  const rows = [];
  wb.worksheets[0].eachRow((row) => rows.push(row.values.slice(1).map((v) => (v == null ? '' : String(v)))));
  return { name: download.suggestedFilename(), rows };
}

export default async function volunteerImport(t) {
  const token = await apiLogin(t, DEMO.dispatcher, PASSWORD);
  const sites = await t.api(`/orgs?q=${encodeURIComponent('师范街')}&limit=20`, { token });
  const station = sites.body.items.find((o) => o.level === 'station');
  assert(station, 'a station named 师范街 in the dispatcher’s scope');

  const page = await t.newPage({ ...DESKTOP, acceptDownloads: true });
  await signIn(page, DEMO.dispatcher, PASSWORD, '/admin');
  await page.goto('/admin/volunteers');
  await page.getByTestId('open-import').waitFor();

  // 1. The template.
  const [tpl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
  const template = await readDownload(tpl);
  assert(template.name === '志愿者导入模板.xlsx', `template file name: ${template.name}`);
  assert(template.rows[0].join(',') === '姓名,身份证号,手机号,报到阵地,技能,政治面貌,工作单位,团队', `template headers: ${template.rows[0]}`);

  // 2. A sheet with three good rows and three bad ones.
  const n = Date.now() % 100000;
  const UNIT = `太原市杏花岭区审计局（${n}）`;
  const phones = [freshPhone('137'), freshPhone('137'), freshPhone('137'), freshPhone('137')];
  const ids = [makeIdNumber(n), makeIdNumber(n + 1), makeIdNumber(n + 2), makeIdNumber(n + 3)];
  const badId = ids[3].slice(0, 17) + (ids[3][17] === '0' ? '1' : '0');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('志愿者名单');
  ws.addRow(template.rows[0]);
  ws.addRow(['贺建军', ids[0], phones[0], station.name, '理论政策宣讲、法律服务', '中共党员', UNIT, '']);
  ws.addRow(['贺秀英', ids[1], phones[1], station.name, '医疗健身', '中共党员', UNIT, '']);
  ws.addRow(['贺小龙', ids[2], phones[2], station.id, '文艺', '共青团员', '', '']);
  ws.addRow(['贺错号', badId, phones[3], station.name, '', '', '', '']);
  ws.addRow(['贺重复', makeIdNumber(n + 4), phones[0], station.name, '', '', '', '']);
  ws.addRow(['贺远方', makeIdNumber(n + 5), freshPhone('137'), '新旺街道新时代文明实践所', '', '', '', '']);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());

  await page.getByTestId('open-import').click();
  await page.getByTestId('import-dragger').waitFor();
  await t.shot(page, 'import-dialog');
  await page
    .locator('.ant-modal input[type=file]')
    .setInputFiles({ name: '社区党员报到名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  const result = page.getByTestId('import-result');
  await result.waitFor({ timeout: 60_000 });
  await result.getByText('导入完成，3 行有问题未导入').waitFor();
  const errors = page.getByTestId('import-errors');
  await errors.getByText('身份证号校验位不正确，请核对').waitFor();
  await errors.getByText('与第2行的手机号重复').waitFor();
  await errors.getByText('该阵地不在您的管辖范围内').waitFor();
  await t.shot(page, 'import-result');

  // 3. The bad rows, with reasons and masked ID numbers.
  const [bad] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-bad-rows').click()]);
  const badRows = await readDownload(bad);
  assert(badRows.rows.length === 4, `bad rows file: ${badRows.rows.length - 1} rows`);
  assert(badRows.rows[0].at(-1) === '问题原因', 'the reasons column');
  assert(!JSON.stringify(badRows.rows).includes(badId), 'the ID number is masked in the bad rows file');
  await page.getByRole('button', { name: /完\s*成/ }).click();

  // 4. The imported volunteers are in the list; the export follows the filters.
  await page.getByTestId('volunteer-search').locator('input').fill('贺');
  await page.getByTestId('volunteer-search').locator('input').press('Enter');
  await page.locator('.ant-table-row').filter({ hasText: '贺建军' }).first().waitFor();
  await page.locator('.ant-select').filter({ hasText: '政治面貌' }).click();
  await page.locator('.ant-select-item-option').filter({ hasText: '中共党员' }).click();
  await page.locator('.ant-table-row').filter({ hasText: '贺秀英' }).first().waitFor();
  await t.shot(page, 'volunteers-filtered');
  const [exp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  const exported = await readDownload(exp);
  const names = exported.rows.slice(1).map((r) => r[0]);
  assert(names.includes('贺建军') && names.includes('贺秀英') && !names.includes('贺小龙'), `exported: ${names.join('、')}`);
  assert(
    exported.rows.slice(1).every((r) => /^\d{4}\*{10}[\dX]{4}$/.test(r[1]) && /^\d{3}\*{4}\d{4}$/.test(r[2])),
    'ID numbers and phones masked in the export',
  );

  // 5. 党员双报到: the two Party members under their unit.
  await page.goto('/admin/party-units');
  await page.getByTestId('party-search').locator('input').fill(UNIT);
  await page.getByTestId('party-search').locator('input').press('Enter');
  const unit = page.locator('.ant-table-row').filter({ hasText: UNIT });
  await unit.getByText('2 人').waitFor();
  await unit.click();
  await page.locator('.ant-table-expanded-row').getByText('贺秀英').waitFor();
  await t.shot(page, 'party-units-unit');
  await page.getByTestId('party-search').locator('input').fill('');
  await page.getByTestId('party-search').locator('input').press('Enter');
  await page.locator('.ant-table-row').nth(2).waitFor();
  await t.shot(page, 'party-units');

  // 6. 贺秀英 was imported without a password: she cannot sign in until the org admin gives her
  //    an activation code, with which she sets one on her phone.
  assert(
    (await t.api('/auth/login', { method: 'POST', body: { phone: phones[1], password: 'hexiuying-2026' } })).status === 401,
    'an imported account has no password',
  );
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.goto('/admin/volunteers');
  await desk.getByTestId('volunteer-search').locator('input').fill(phones[1].slice(-4));
  await desk.getByTestId('volunteer-search').locator('input').press('Enter');
  await desk.locator('.ant-table-row').filter({ hasText: '贺秀英' }).first().click();
  await desk.getByTestId('activation-open').click();
  const dialog = await openedDialog(desk, '生成激活码：贺秀英');
  await dialog.getByTestId('activation-issue').click();
  const shown = await dialog.getByTestId('activation-code').locator('.vol-activation-code').innerText();
  assert(/^\d{4} \d{4}$/.test(shown), `activation code shown: ${shown}`);
  await t.shot(desk, 'activation-code');

  const phone = await t.newPage(PHONE);
  await phone.goto('/login');
  await phone.getByTestId('activate-link').click();
  await phone.waitForURL('**/activate');
  // The page is loaded lazily; the sign-in form stays on screen until it is there.
  await phone.getByTestId('activate-submit').waitFor();
  await phone.getByLabel('手机号').fill(phones[1]);
  await phone.getByLabel('激活码').fill(shown);
  await phone.getByLabel('新密码', { exact: true }).fill('hexiuying-2026');
  await phone.getByLabel('确认新密码').fill('hexiuying-2026');
  await t.shot(phone, 'activate-form');
  await phone.getByTestId('activate-submit').click();
  await phone.waitForURL('**/h5**');
  // The code worked once; the password works from now on.
  const again = await t.api('/auth/activate', { method: 'POST', body: { phone: phones[1], code: shown.replace(' ', ''), password: 'someone-else-1' } });
  assert(again.status === 401, `the code is used up: ${again.status}`);
  assert(
    (await t.api('/auth/login', { method: 'POST', body: { phone: phones[1], password: 'hexiuying-2026' } })).status === 200,
    'she signs in with her new password',
  );
  await phone.goto('/h5/me');
  await phone.getByText('贺秀英').first().waitFor();
  await t.shot(phone, 'activated-me');
}

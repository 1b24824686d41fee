// 志愿服务组织 (issue 21): a district admin registers an organisation and names its 组织管理员;
// a volunteer finds it on the phone under 我的 → 我的组织 and asks to join; the organisation's
// admin (no staff role) opens the console, sees only their organisation, and approves; the
// volunteer's phone then shows the request approved and the organisation among theirs.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, apiRegister, assert, findStation, freshPhone, makeIdNumber, signIn } from '../lib/harness.mjs';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A valid 统一社会信用代码 (GB 32100-2015 check character) for a made-up 社会团体. */
function creditCode() {
  const first17 = `52140105MJ${String(Date.now()).slice(-7)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(first17[i]) * WEIGHTS[i];
  return first17 + CHARS[(31 - (sum % 31)) % 31];
}

export default async function organisationJoinJourney(t) {
  const NAME = `龙城义工联合会（${String(Date.now()).slice(-4)}）`;
  const staffToken = await apiLogin(t, DEMO.orgAdmin);
  const me = (await t.api('/me', { token: staffToken })).body;
  const siteId = me.roles.find((r) => r.role === 'org_admin').orgId;
  const station = await findStation(t, staffToken, '社区');

  // The organisation, and its admin (an account with no staff role).
  const created = await t.api('/organisations', {
    method: 'POST',
    token: staffToken,
    body: {
      orgId: siteId,
      name: NAME,
      creditCode: creditCode(),
      registrationAuthority: '太原市小店区民政局',
      contactName: '赵海生',
      contactPhone: '13912345678',
      categories: ['health'],
      serviceOrgIds: [station.id],
    },
  });
  assert(created.status === 201, `organisation created: ${created.status} ${JSON.stringify(created.body)}`);
  const organisation = created.body;
  const adminPhone = freshPhone('137');
  const orgAdmin = await apiRegister(t, { phone: adminPhone, name: '组织管理员', password: PASSWORD });
  const granted = await t.api(`/organisations/${organisation.id}/admins`, { method: 'POST', token: staffToken, body: { userId: orgAdmin.user.id } });
  assert(granted.status === 201, `admin named: ${granted.status}`);

  // A volunteer of the district.
  const volPhone = freshPhone('136');
  const vol = await apiRegister(t, { phone: volPhone, name: '王志愿', password: PASSWORD });
  const reg = await t.api('/volunteers', {
    method: 'POST',
    token: vol.token,
    body: { realName: '王志愿', idNumber: makeIdNumber(), orgId: station.id, skills: ['health'] },
  });
  assert(reg.status === 201, `volunteer reported in: ${reg.status} ${JSON.stringify(reg.body)}`);

  // 1. On the phone: 我的 → 我的组织 → 申请加入.
  const phone = await t.newPage(PHONE);
  await signIn(phone, volPhone, PASSWORD, '/h5');
  await phone.goto('/h5/me');
  await phone.getByTestId('me-organisations').tap();
  await phone.waitForURL('**/h5/organisations');
  await phone.getByPlaceholder('搜索名称').fill(NAME.slice(0, 6));
  const target = phone.getByTestId('join-target').filter({ hasText: NAME });
  await target.getByTestId('apply-join').tap();
  await phone.getByLabel('申请留言').fill('有急救证，周末有空');
  await phone.getByTestId('apply-submit').tap();
  await phone.getByTestId('my-join-request').filter({ hasText: NAME }).filter({ hasText: '待审核' }).waitFor();
  await target.getByText('审核中').waitFor();
  await t.shot(phone, 'volunteer-applied');

  // 2. The organisation's admin: the console shows their organisation only; they approve.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, adminPhone, PASSWORD, '/h5');
  await desk.goto('/admin');
  await desk.waitForURL('**/admin/organisations');
  const items = await desk.getByRole('menuitem').allInnerTexts();
  assert(items.map((s) => s.trim()).join(',') === '组织管理,加入申请', `organisation admin menu: ${items.join(',')}`);
  const rows = desk.locator('.ant-table-tbody tr.ant-table-row');
  await rows.filter({ hasText: NAME }).waitFor();
  assert((await rows.count()) === 1, `one organisation listed, got ${await rows.count()}`);
  await rows.filter({ hasText: NAME }).click();
  await desk.getByTestId('organisation-figures').waitFor();
  await desk.getByRole('tab', { name: /待审核申请/ }).click();
  const request = desk.locator('.ant-drawer .ant-table-row').filter({ hasText: '王志愿' });
  await request.waitFor();
  await t.shot(desk, 'organisation-admin-pending');
  await request.getByTestId('approve-request').click();
  await desk.getByText(`王志愿 已加入「${NAME}」`, { exact: false }).waitFor();
  await desk.getByRole('tab', { name: /成员（1）/ }).click();
  await desk.locator('.ant-drawer .ant-table-row').filter({ hasText: '王志愿' }).waitFor();
  await t.shot(desk, 'organisation-admin-approved');
  // Staff pages are not theirs.
  await desk.goto('/admin/volunteers');
  await desk.getByText('无权访问', { exact: true }).waitFor();

  // 3. The volunteer's phone: approved, and a member.
  await phone.reload();
  await phone.getByTestId('my-join-request').filter({ hasText: NAME }).filter({ hasText: '已通过' }).waitFor();
  await phone.getByTestId('my-memberships').getByText(NAME).waitFor();
  await t.shot(phone, 'volunteer-approved');
  const mine = (await t.api('/organisations/mine', { token: vol.token })).body;
  assert(
    mine.memberOf.some((o) => o.id === organisation.id),
    `member of the organisation: ${JSON.stringify(mine.memberOf)}`,
  );
}

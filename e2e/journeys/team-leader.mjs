// 队长: the demo team leader (a volunteer with no staff role) opens 队长工作台 from 我的 on the
// phone, sees only the organiser pages, creates an activity for the team (the team and its site
// are filled in), publishes it, and finds it in the list; the volunteer of another team sees it
// published but not as theirs to organise.
import { DESKTOP, PASSWORD, PHONE, apiLogin, assert, localInput, signIn } from '../lib/harness.mjs';

const LEADER = '13900000006';
const TITLE = '小店街道义诊进社区（队长发起）';

export default async function teamLeaderJourney(t) {
  const token = await apiLogin(t, LEADER);
  const me = (await t.api('/me', { token })).body;
  assert(me.ledTeams.length === 1 && me.ledTeams[0].name === '小店街道医疗健身志愿服务队', `the demo leader leads one team: ${JSON.stringify(me.ledTeams)}`);
  assert(!me.roles.some((r) => ['admin', 'org_admin', 'dispatcher'].includes(r.role)), 'the demo leader holds no staff role');
  const team = me.ledTeams[0];

  // 1. From 我的 on the phone to 队长工作台.
  const phone = await t.newPage(PHONE);
  await signIn(phone, LEADER, PASSWORD, '/h5');
  await phone.goto('/h5/me');
  await phone.getByTestId('leader-console').tap();
  await phone.waitForURL('**/admin/activities');
  await phone.getByTestId('activity-table').waitFor();
  await phone.getByTestId('scope').filter({ hasText: team.name }).waitFor();
  await phone.getByText(`显示您带领的队伍（${team.name}）承办的活动`).waitFor();
  await t.shot(phone, 'leader-list');
  // The menu holds the organiser pages only (工作台, issue 19; 加入申请: volunteers asking to join the team, issue 21).
  await phone.getByRole('button', { name: '展开菜单' }).tap();
  const items = await phone.getByRole('menuitem').allInnerTexts();
  assert(items.map((s) => s.trim()).join(',') === '工作台,活动管理,时长审核,加入申请', `leader menu: ${items.join(',')}`);
  await t.shot(phone, 'leader-menu');
  await phone.locator('.admin-backdrop').tap({ position: { x: 360, y: 400 } });

  // 2. A new activity: the team and its site are already chosen.
  await phone.getByTestId('activity-new').tap();
  await phone.waitForURL('**/admin/activities/new');
  await phone.getByTestId('activity-led-team').filter({ hasText: team.name }).waitFor();
  await phone.getByTestId('activity-team-site').filter({ hasText: team.orgName }).waitFor();
  // The site's address arrives with its details.
  await phone.waitForFunction(() => !!document.querySelector('#activity_address')?.value);
  const now = Date.now();
  await phone.getByLabel('活动名称').fill(TITLE);
  await phone.getByLabel('服务类别', { exact: true }).click();
  await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '医疗健身' }).first().tap();
  await phone.getByTestId('activity-starts').fill(localInput(now + 3 * 86_400_000));
  await phone.getByTestId('activity-ends').fill(localInput(now + 3 * 86_400_000 + 2 * 3600_000));
  await phone.getByLabel('志愿者名额').fill('4');
  await t.shot(phone, 'leader-editor');
  await phone.getByTestId('activity-save').tap();
  await phone.waitForURL(/\/admin\/activities\/[0-9a-f-]{36}$/);
  const id = phone.url().split('/').pop();
  await phone.getByTestId('activity-state').filter({ hasText: '草稿' }).waitFor();
  await phone.getByTestId('activity-publish').tap();
  await phone
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /发\s*布/ })
    .tap();
  await phone.getByTestId('activity-state').filter({ hasText: '报名中' }).waitFor();
  await t.shot(phone, 'leader-published');
  const a = (await t.api(`/activities/${id}`, { token })).body;
  assert(a.teamId === team.id && a.orgId === team.orgId && a.state === 'published' && a.volunteerQuota === 4, `as entered: ${JSON.stringify(a).slice(0, 300)}`);

  // 3. It is in the leader's list; staff-only pages are not theirs.
  await phone.goto('/admin/activities');
  await phone.getByTestId('activity-table').getByText(TITLE).waitFor();
  await phone.goto('/admin/volunteers');
  await phone.getByText('无权访问', { exact: true }).waitFor();

  // 4. 时长审核 opens for the team's records on a desktop too.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, LEADER, PASSWORD, '/h5');
  await desk.goto('/admin/records');
  await desk.getByRole('menuitem', { name: /时长审核/ }).waitFor();
  await desk.locator('.ant-table').first().waitFor();
  assert((await desk.getByTestId('record-add').count()) === 0, 'manual records are entered by staff, not by leaders');
  await t.shot(desk, 'leader-records');
}

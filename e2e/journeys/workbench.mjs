// 工作台 (issue 19): each staff role lands on a home page of its own to-dos after signing in — the
// 小店区 admin (desk counts, today's figures, the coming week's activities), the 住建局 officer
// (待签收, whose card leads to 部门工作台) and a team leader (the team's hours to review).
import { DEMO, DESKTOP, PASSWORD, PHONE, assert, signIn } from '../lib/harness.mjs';

const OFFICER = '13900000005';
const LEADER = '13900000006';

const countOf = async (page, key) => {
  const card = page.locator(`[data-testid=workbench-todo][data-key=${key}]`);
  await card.waitFor();
  return Number((await card.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
};

export default async function workbenchJourney(t) {
  // 1. The 小店区 admin: the desk's to-dos, today's figures beside yesterday's, upcoming activities.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.waitForURL('**/admin/workbench');
  await desk.getByRole('heading', { name: '工作台' }).waitFor();
  await desk.locator('[data-testid=workbench-todo]').first().waitFor();
  const labels = await desk.locator('[data-testid=workbench-todo] .ant-statistic-title').allInnerTexts();
  for (const l of ['超时工单', '待派单', '待审核时长', '待审批预约', '待核销', '待回访'])
    assert(labels.includes(l), `the desk's to-dos include ${l}: ${labels.join('，')}`);
  await desk.getByTestId('workbench-figures').getByText('新增工单').waitFor();
  await desk.getByTestId('workbench-upcoming').locator('.ant-list-item').first().waitFor();
  assert(await desk.getByRole('menuitem', { name: /工作台/ }).isVisible(), '工作台 is in the menu');
  await t.shot(desk, 'org-admin');
  // A to-do's card leads to the page that does it.
  await desk.locator('[data-testid=workbench-todo][data-key=bookings_pending]').click();
  await desk.waitForURL('**/admin/bookings');

  // 2. The 住建局 officer: what waits for the department's signature; the card opens 部门工作台.
  const officer = await t.newPage(DESKTOP);
  await signIn(officer, OFFICER, PASSWORD, '/admin');
  await officer.waitForURL('**/admin/workbench');
  const toSign = await countOf(officer, 'dept_to_sign');
  assert(toSign >= 1, `the officer has forwarded orders to sign for: ${toSign}`);
  assert((await officer.locator('[data-testid=workbench-todo][data-key=orders_to_dispatch]').count()) === 0, 'no desk to-dos for a department officer');
  assert((await officer.getByRole('button', { name: /时长审核/ }).count()) === 0, 'no shortcut to pages a department officer cannot open');
  await t.shot(officer, 'dept-officer');
  await officer.locator('[data-testid=workbench-todo][data-key=dept_to_sign]').click();
  await officer.waitForURL('**/admin/dept-work');

  // 3. A team leader on a phone: the team's hours to review.
  // A team leader is a volunteer first: they land on the H5 and open the console from there.
  const leader = await t.newPage(PHONE);
  await signIn(leader, LEADER, PASSWORD, '/h5');
  await leader.goto('/admin');
  await leader.waitForURL('**/admin/workbench');
  await countOf(leader, 'records_pending');
  const overflow = await leader.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 1, `the 工作台 fits a phone's width (overflow ${overflow}px)`);
  await t.shot(leader, 'leader-phone');
}

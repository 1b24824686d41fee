// c. The 小店区 org admin sees only 小店区's subtree, and the API refuses 平城区 to them.
import { ADMIN_PHONE, DESKTOP, PASSWORD, assert, signIn } from '../lib/harness.mjs';

const ORG_ADMIN_PHONE = '13900000001';
const CENTER = '小店区新时代文明实践中心';

export default async function orgAdminStaysInScope(t) {
  // Beforehand, as the admin over the API (bearer token): an org of 平城区.
  const login = await t.api('/auth/login', { method: 'POST', body: { phone: ADMIN_PHONE, password: PASSWORD } });
  assert(login.status === 200 && login.body.token, `admin login over the API: ${login.status}`);
  const found = await t.api(`/orgs?q=${encodeURIComponent('平城区')}&level=center`, { token: login.body.token });
  assert(found.status === 200, `admin search: ${found.status}`);
  const pingcheng = found.body.items.find((o) => o.name.startsWith('平城区'));
  assert(pingcheng, `平城区's center exists: ${JSON.stringify(found.body).slice(0, 300)}`);
  t.log('平城区 org:', pingcheng.name, pingcheng.id);

  const page = await t.newPage(DESKTOP);
  await signIn(page, ORG_ADMIN_PHONE, PASSWORD, '/admin');
  // Staff land on their 工作台; 阵地管理 is in the menu.
  await page.waitForURL('**/admin/workbench');
  await page.getByRole('menuitem', { name: /阵地管理/ }).click();
  await page.waitForURL('**/admin/orgs');

  // The tree's only root is 小店区's center: no city above it.
  const tree = page.locator('.org-tree');
  await tree.getByText(CENTER, { exact: true }).waitFor();
  const roots = await tree
    .locator('.ant-tree-treenode')
    .evaluateAll((nodes) => nodes.filter((n) => n.querySelectorAll('.ant-tree-indent-unit').length === 0).map((n) => n.textContent?.trim() ?? ''));
  assert(roots.length === 1 && roots[0].includes(CENTER), `tree roots: ${roots.join('，')}`);
  assert((await tree.getByText('太原市', { exact: true }).count()) === 0, '太原市 is not in the tree');
  const scope = await page.getByTestId('scope').innerText();
  assert(scope.includes(CENTER), `管辖范围 shows the center: ${scope}`);
  // 操作日志 is there: an org admin reads the log of their own subtree (issue 19).
  assert((await page.getByRole('menuitem', { name: /操作日志/ }).count()) >= 1, '操作日志 for an org admin');

  // Expand: the institutes of 小店区 load.
  await tree.locator('.ant-tree-treenode', { hasText: CENTER }).first().locator('.ant-tree-switcher').click();
  await tree.locator('.ant-tree-treenode .ant-tag', { hasText: /^所$/ }).first().waitFor();
  await t.shot(page, 'tree');

  // Searching 平城区 finds nothing inside this scope.
  await page.getByPlaceholder('搜索阵地名称、地址或行政区划代码').fill('平城区');
  await page.getByPlaceholder('搜索阵地名称、地址或行政区划代码').press('Enter');
  await page.getByText('没有找到与“平城区”匹配的阵地').waitFor();
  await t.shot(page, 'search-outside');

  // From the page, with the session cookie: 403 for 平城区.
  const res = await page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/orgs/${id}`, { credentials: 'same-origin' });
    return { status: r.status, body: await r.json() };
  }, pingcheng.id);
  assert(res.status === 403 && res.body.error.code === 'FORBIDDEN', `GET /orgs/${pingcheng.id} as 小店区 org admin: ${res.status} ${JSON.stringify(res.body)}`);
  t.log('平城区 refused:', res.status, res.body.error.message);

  // And the console says so when the URL points there.
  await page.goto(`/admin/orgs?org=${pingcheng.id}`);
  await page.locator('.org-drawer .ant-alert-error').waitFor();
  await t.shot(page, 'forbidden-drawer');
}

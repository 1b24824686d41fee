// a. The super admin builds a station under 小井峪街道 in 阵地管理.
import { ADMIN_PHONE, DESKTOP, PASSWORD, assert, signIn, untilStill } from '../lib/harness.mjs';

const INSTITUTE = '小井峪街道新时代文明实践所';
const STATION = 'e2e测试社区新时代文明实践站';
const DEPARTMENT = '万柏林区司法局小井峪司法所';

export default async function adminCreatesStation(t) {
  const page = await t.newPage(DESKTOP);
  await signIn(page, ADMIN_PHONE, PASSWORD, '/admin');
  // Staff land on their 工作台; 阵地管理 is in the menu.
  await page.waitForURL('**/admin/workbench');
  await page.getByRole('menuitem', { name: /阵地管理/ }).click();
  await page.waitForURL('**/admin/orgs');

  // The tree starts at the admin's roots: the two cities.
  const tree = page.locator('.org-tree');
  await tree.getByText('太原市', { exact: true }).waitFor();
  await tree.getByText('大同市', { exact: true }).waitFor();
  assert(await page.getByRole('menuitem', { name: /操作日志/ }).isVisible(), 'admin sees 操作日志 in the menu');

  // Lazy loading: expanding 太原市 loads its centers.
  await tree.locator('.ant-tree-treenode', { hasText: '太原市' }).first().locator('.ant-tree-switcher').click();
  await tree.getByText('万柏林区新时代文明实践中心', { exact: true }).waitFor();
  await t.shot(page, 'tree');

  // Search, and the hit shows where it sits.
  await page.getByPlaceholder('搜索阵地名称、地址或行政区划代码').fill('小井峪');
  await page.getByPlaceholder('搜索阵地名称、地址或行政区划代码').press('Enter');
  const hit = page.getByTestId('org-search-result').filter({ has: page.locator('.result-title', { hasText: INSTITUTE }) });
  await hit.waitFor();
  assert((await hit.innerText()).includes('万柏林区新时代文明实践中心'), 'the search hit shows its parent chain');
  await t.shot(page, 'search');

  // Open it: drawer with details, and the tree reveals it.
  await hit.click();
  const drawer = page.locator('.org-drawer');
  await drawer.locator('.ant-drawer-title', { hasText: INSTITUTE }).waitFor();
  await drawer.getByText('140109011', { exact: true }).waitFor();
  await tree.locator('.ant-tree-treenode-selected', { hasText: INSTITUTE }).waitFor();
  await t.shot(page, 'drawer');

  // 新建下级阵地: the level offers only what may sit under an institute; bad input is refused in Chinese.
  await drawer.getByRole('button', { name: /新建下级阵地/ }).click();
  const modal = page.getByRole('dialog', { name: '新建下级阵地' });
  await modal.waitFor();
  await untilStill(modal);
  await modal.locator('.ant-select').first().click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
  // Read the options once the dropdown has stopped zooming in (mid-animation their text reads empty).
  await untilStill(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first());
  const options = await page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts();
  assert(options.length === 2 && options[0].includes('实践站') && options[1].includes('实践点'), `level options for an institute: ${options.join('，')}`);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '村(社区)实践站' }).click();
  await modal.getByLabel('行政区划代码').fill('12ab');
  await modal.getByRole('button', { name: /创\s*建/ }).click();
  await modal.getByText('名称不能为空').waitFor();
  await modal.getByText('行政区划代码为4至12位数字').waitFor();
  await t.shot(page, 'create-errors');

  await modal.getByLabel('阵地名称').fill(STATION);
  await modal.getByLabel('行政区划代码').fill('');
  await modal.getByLabel('地址').fill('山西省太原市万柏林区小井峪街道e2e测试社区');
  await modal.getByRole('button', { name: /创\s*建/ }).click();
  await page.getByText(`已新建「${STATION}」`).waitFor();
  await modal.waitFor({ state: 'hidden' });

  // The new station shows among the children in the drawer and in the tree.
  await drawer.getByTestId('org-child').filter({ hasText: STATION }).waitFor();
  await tree.getByText(STATION, { exact: true }).waitFor();
  await t.shot(page, 'created');

  // Open it from the tree: a 站 with its parent chain.
  await tree.getByText(STATION, { exact: true }).click();
  await drawer.locator('.ant-drawer-title', { hasText: STATION }).waitFor();
  await drawer.locator('.org-drawer-path', { hasText: INSTITUTE }).waitFor();
  await drawer.getByText('村(社区)实践站').waitFor();
  await t.shot(page, 'new-station');

  // Creating the same name again is refused with the API's message.
  await drawer.locator('.org-drawer-path').getByText(INSTITUTE).click();
  await drawer.locator('.ant-drawer-title', { hasText: INSTITUTE }).waitFor();
  await drawer.getByRole('button', { name: /新建下级阵地/ }).click();
  await modal.waitFor();
  await modal.getByLabel('阵地名称').fill(STATION);
  await modal.getByRole('button', { name: /创\s*建/ }).click();
  await modal.locator('.ant-alert-error').waitFor();
  t.log('duplicate refused:', (await modal.locator('.ant-alert-error').innerText()).replace(/\s+/g, ' '));
  await t.shot(page, 'duplicate');
  await modal.getByRole('button', { name: /取\s*消/ }).click();
  await modal.waitFor({ state: 'hidden' });

  // 新建职能部门 on the institute: it shows among the site's departments.
  await drawer.getByRole('button', { name: /新建职能部门/ }).click();
  const deptModal = page.getByRole('dialog', { name: '新建职能部门' });
  await deptModal.getByLabel('部门名称').fill(DEPARTMENT);
  await deptModal.getByRole('button', { name: /创\s*建/ }).click();
  await page.getByText(`已新建职能部门「${DEPARTMENT}」`).waitFor();
  await drawer.getByTestId('org-departments').getByText(DEPARTMENT, { exact: true }).waitFor();
}

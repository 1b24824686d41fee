// 安全响应头: every face of the built app (admin console, statistics, evaluation, the big screen,
// content, the H5 pages) and the Swagger UI work under the server's Content-Security-Policy — a
// blocked script or style would show as a console error, which fails the journey (harness) — and
// a page's CSP forbids inline scripts other than the one build-time preload (by its hash).
import { ADMIN_PHONE, DESKTOP, PASSWORD, PHONE, assert, signIn } from '../lib/harness.mjs';

export default async function securityHeadersJourney(t) {
  const shell = await fetch(`${t.baseUrl}/login`, { headers: { accept: 'text/html' } });
  const csp = shell.headers.get('content-security-policy') ?? '';
  assert(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/.test(csp), `CSP allows scripts from the site only: ${csp}`);
  assert(shell.headers.get('x-content-type-options') === 'nosniff', 'nosniff');
  assert(shell.headers.get('x-frame-options') === 'SAMEORIGIN', 'X-Frame-Options');

  const violations = [];
  const watch = async (page) => {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations = [...(window.__cspViolations ?? []), `${e.violatedDirective} ${e.blockedURI}`];
      });
    });
  };
  const collect = async (page) => violations.push(...((await page.evaluate(() => window.__cspViolations ?? [])) || []).map((v) => `${page.url()}: ${v}`));

  const desk = await t.newPage(DESKTOP);
  await watch(desk);
  await signIn(desk, ADMIN_PHONE, PASSWORD, '/admin');
  for (const url of ['/admin', '/admin/stats', '/admin/orders', '/admin/evaluation', '/admin/content', '/screen/dashboard', '/docs/']) {
    await desk.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await desk.waitForTimeout(1500);
    await collect(desk);
  }
  await desk.goto('/screen/dashboard', { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await desk.getByTestId('district-map').locator('canvas').first().waitFor({ timeout: 30_000 });
  await t.shot(desk, 'screen-under-csp');
  await desk.goto('/docs/', { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await desk.getByText('文明实践云 API').first().waitFor({ timeout: 30_000 });
  await t.shot(desk, 'swagger-under-csp');

  const phone = await t.newPage(PHONE);
  await watch(phone);
  for (const url of ['/h5', '/h5/news']) {
    await phone.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await phone.waitForTimeout(1500);
    await collect(phone);
  }
  assert(violations.length === 0, `CSP violations:\n${violations.join('\n')}`);
}

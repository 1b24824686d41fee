// An anonymous visitor, as from a 公众号 menu link, reads the activities and one activity, and the
// news, without signing in; tapping 报名 asks them to sign in and brings them back (issue 17).
import { PHONE } from '../lib/harness.mjs';

export default async function visitorReadsWithoutSigningIn(t) {
  const page = await t.newPage(PHONE);
  await page.goto('/h5/activities');
  await page.getByTestId('activity-card').first().waitFor();
  await page.getByTestId('visitor-login').waitFor();
  await t.shot(page, 'visitor-activities');

  // An activity still open for sign-up: its page shows the 报名 button.
  const cards = page.getByTestId('activity-card');
  const n = await cards.count();
  let opened = false;
  for (let i = 0; i < n && !opened; i++) {
    await cards.nth(i).tap();
    await page.waitForURL('**/h5/activities/*');
    const button = page.getByTestId('signup-resident').or(page.getByTestId('signup-volunteer')).first();
    // isVisible does not wait: the page may still be loading, so wait for the button a while.
    if (
      await button.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    ) {
      await t.shot(page, 'visitor-activity');
      const here = new URL(page.url()).pathname;
      await button.tap();
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === here);
      await page.getByTestId('sms-send').waitFor();
      opened = true;
    } else await page.goBack();
  }
  if (!opened) throw new Error('no activity open for sign-up among the visitor’s list');

  await page.goto('/h5/news');
  await page.getByText('资讯').first().waitFor();
  await page.getByTestId('visitor-login').waitFor();
  await t.shot(page, 'visitor-news');
}

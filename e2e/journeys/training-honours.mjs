// 培训 and 评选表彰 (issue 21): staff see the course library and a session's rotating QR code; the
// demo volunteer signs up for the session on the phone and checks in through the QR link; a
// resident votes once in the public round (a second vote the same day is refused) and sees the roll.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, assert, pickOption, signIn } from '../lib/harness.mjs';

export default async function trainingHonours(t) {
  const admin = await apiLogin(t, DEMO.orgAdmin);
  const volunteer = await apiLogin(t, '13900000007');
  const me = (await t.api('/me', { token: admin })).body;
  const district = me.roles.find((r) => r.role === 'org_admin').orgId;
  const vol = (await t.api('/volunteers/me', { token: volunteer })).body;
  const site = (Array.isArray(vol) ? vol[0] : vol).orgId;
  const volunteerId = (Array.isArray(vol) ? vol[0] : vol).id;

  const ok = async (path, body, token = admin) => {
    const r = await t.api(path, { method: 'POST', token, body });
    assert(r.status < 300, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const lecturer = await ok('/training/lecturers', { orgId: district, name: '李明', title: '主治医师', specialties: ['应急救护'] });
  const course = await ok('/training/courses', {
    orgId: district,
    title: '应急救护培训',
    category: '应急救护',
    hours: 4,
    lecturerIds: [lecturer.id],
    qualification: '急救证',
    qualificationMonths: 24,
  });
  // Starts in 20 minutes: sign-up is still open and the check-in window (30 minutes before) already is.
  const startsAt = new Date(Date.now() + 20 * 60_000).toISOString();
  const endsAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
  const session = await ok('/training/sessions', { courseId: course.id, orgId: site, address: '社区党群服务中心二楼', startsAt, endsAt, capacity: 30 });

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const round = await ok('/honours/rounds', { orgId: district, title: '小店区最美志愿者', kind: 'volunteer', votingStartsOn: today, votingEndsOn: today });
  const nomination = await ok(`/honours/rounds/${round.id}/nominations`, { orgId: site, volunteerId, reason: '常年为社区独居老人送餐、量血压' });
  await ok(`/honours/nominations/${nomination.id}/review`, { decision: 'approve' });
  await ok(`/honours/rounds/${round.id}/open-voting`, {});

  // The volunteer signs up on the phone.
  const phone = await t.newPage(PHONE);
  await signIn(phone, '13900000007', PASSWORD, '/h5');
  await phone.goto('/h5/me');
  await phone.getByTestId('me-training').tap();
  await phone.waitForURL('**/h5/training');
  const card = phone.getByTestId('training-session-card').filter({ hasText: '应急救护培训' });
  await card.first().waitFor();
  await card.first().getByTestId('training-signup').tap();
  await card.first().getByText('已报名').waitFor();
  await t.shot(phone, 'training-signed-up');

  // Staff: the session's drawer with its QR code; the volunteer's phone follows the code's link.
  const pc = await t.newPage(DESKTOP);
  await signIn(pc, DEMO.orgAdmin, PASSWORD, '/admin');
  await pc.goto('/admin/training');
  await pc.getByTestId('sessions-table').getByText('应急救护培训').first().click();
  await pc.getByTestId('training-qr').waitFor();
  await t.shot(pc, 'session-drawer');
  const code = (await t.api(`/training/sessions/${session.id}/checkin-code`, { token: admin })).body.code;
  await phone.goto(`/h5/training/checkin/${session.id}?code=${encodeURIComponent(code)}`);
  await phone.getByText('签到成功').waitFor();
  await t.shot(phone, 'training-checked-in');
  await pc.keyboard.press('Escape');
  await pc.getByRole('tab', { name: '课程库' }).click();
  await pc.getByTestId('courses-table').getByText('急救证（24个月有效）').first().waitFor();
  await t.shot(pc, 'courses');
  // 学时与资质: staff enter a qualification with its expiry for the volunteer.
  await pc.getByRole('tab', { name: '学时与资质' }).click();
  await pickOption(pc, '志愿者', '吴丽娟', '吴丽娟');
  const form = pc.getByTestId('qualification-form');
  await form.getByPlaceholder('资质名称，如：急救证').fill('心理疏导证');
  await form.getByRole('button', { name: '登记资质' }).click();
  await pc.getByText('心理疏导证').waitFor();
  await t.shot(pc, 'qualifications');

  // A resident votes in the public round; a second vote the same day is refused.
  const resident = await t.newPage(PHONE);
  await signIn(resident, '13900000010', PASSWORD, '/h5');
  await resident.goto('/h5/me');
  await resident.getByTestId('me-honours').tap();
  await resident.waitForURL('**/h5/honours');
  const roundCard = resident.getByTestId('honour-round-card').filter({ hasText: '小店区最美志愿者' });
  await roundCard.getByTestId('honour-vote').tap();
  await roundCard.getByText('今天已投票').waitFor();
  await t.shot(resident, 'voted');
  const residentToken = await apiLogin(t, '13900000010');
  const again = await t.api(`/honours/nominations/${nomination.id}/votes`, { method: 'POST', token: residentToken, body: {} });
  assert(again.status === 409, `a second vote the same day is refused (got ${again.status})`);

  // Staff award and close; the roll shows the honour.
  await pc.goto('/admin/honours');
  await pc.getByTestId('rounds-table').getByText('小店区最美志愿者').first().click();
  await pc.getByTestId('nominations-table').getByText('1').first().waitFor();
  await t.shot(pc, 'round-drawer');
  await ok(`/honours/nominations/${nomination.id}/award`, { award: '十佳最美志愿者' });
  await ok(`/honours/rounds/${round.id}/close`, {});
  await resident.getByText('光荣榜', { exact: true }).tap();
  await resident.getByTestId('honour-roll-row').filter({ hasText: '十佳最美志愿者' }).first().waitFor();
  await t.shot(resident, 'roll');

  // The volunteer's own record: the honour beside the training sign-up.
  await phone.goto('/h5/training');
  await phone.getByText('我的记录', { exact: true }).tap();
  await phone.getByTestId('my-honour').filter({ hasText: '小店区最美志愿者' }).first().waitFor();
  await t.shot(phone, 'my-record');
}

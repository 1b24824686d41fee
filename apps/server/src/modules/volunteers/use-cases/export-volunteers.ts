import type { Readable } from 'node:stream';
import { z } from 'zod';
import { POLITICAL_STATUS_NAMES, type ZListVolunteersQuery } from '@wenming/contracts';
import { starLevel } from '@wenming/domain';
import { toIso } from '../../../lib/time.ts';
import { streamXlsx } from '../../../lib/xlsx-stream.ts';
import { assertStaff, phoneAsSeenBy, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { DATA_SHEET } from '../volunteer-sheets.ts';
import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** The filtered list as .xlsx, written page by page to a stream. */
export async function exportVolunteers(
  deps: VolunteerBulkKit,
  ctx: RequestCtx,
  q: Omit<z.infer<typeof ZListVolunteersQuery>, 'limit' | 'cursor'>,
): Promise<Readable> {
  const { orgs, audit, log, listFilter } = deps;
  const actor = requireActor(ctx);
  const scope0 = assertStaff(actor);
  const { orgPath, scope } = await narrowToOrg(orgs, scope0, q.orgId);
  const filter = listFilter(scope, orgPath, q);
  await audit.record(ctx, { cityCode: null, action: 'volunteer.export', entityType: 'volunteer', entityId: actor.userId, after: { filter: q } });
  const categories = new Map((await deps.catalogues.categories()).map((c) => [c.code, c.name]));
  const pageSize = 1000;
  async function* pages() {
    let before: { createdKey: string; id: string } | undefined;
    for (;;) {
      const page = await deps.volunteers.list({ ...filter, before, limit: pageSize });
      const teams = await deps.volunteers.teamsOfMany(page, 'name');
      yield page.map((v) => [
        v.realName,
        v.idNumberMasked,
        phoneAsSeenBy(actor, v.userId, v.phone),
        v.orgName,
        v.skills.map((s) => categories.get(s) ?? s).join('、'),
        POLITICAL_STATUS_NAMES[v.politicalStatus],
        v.workUnit ?? '',
        (teams.get(v.id) ?? []).map((t) => t.name).join('、'),
        Number(v.totalHours),
        starLevel(Number(v.totalHours)),
        v.points,
        v.status === 'active' ? '在岗' : '已暂停',
        toIso(v.createdAt).slice(0, 16).replace('T', ' '),
      ]);
      if (page.length < pageSize) return;
      before = { createdKey: page.at(-1)!.createdKey, id: page.at(-1)!.id };
    }
  }
  // Pulled page by page as the client reads (lib/xlsx-stream.ts): a slow download or a busy CPU
  // holds one page in memory, not the district.
  const out = streamXlsx({
    sheetName: DATA_SHEET,
    columns: [
      { header: '姓名', width: 12 },
      { header: '身份证号', width: 22, text: true },
      { header: '手机号', width: 15, text: true },
      { header: '报到阵地', width: 34 },
      { header: '技能', width: 26 },
      { header: '政治面貌', width: 10 },
      { header: '工作单位', width: 26 },
      { header: '团队', width: 26 },
      { header: '服务时长（小时）', width: 14 },
      { header: '星级', width: 8 },
      { header: '积分', width: 10 },
      { header: '状态', width: 8 },
      { header: '报到时间', width: 20 },
    ],
    pages: pages(),
  });
  out.on('error', (e) => log('volunteer export failed', e));
  return out;
}

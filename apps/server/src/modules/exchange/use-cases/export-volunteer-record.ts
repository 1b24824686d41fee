import { sql } from 'drizzle-orm';
import { forbidden, notFound } from '../../../lib/errors.ts';
import { inScope, MANAGE_ROLES, requireActor, scopeCondition, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import { writeWorkbook } from '../exchange-sheets.ts';
import { NATIONAL_LAYOUT } from '../national-layout.ts';
import type { ExchangeKit } from '../exchange-kit.ts';

/**
 * One volunteer's complete record in the national layout (《志愿服务记录与证明出具办法》: identity,
 * each verified service, training, honours, complaints), for the volunteer themself or an org
 * admin over their site. The file carries the whole ID number (the national system matches by
 * it), so every download is in the audit log.
 */
export async function exportVolunteerRecord(deps: ExchangeKit, ctx: RequestCtx, volunteerId: string): Promise<{ data: Buffer; fileName: string }> {
  const actor = requireActor(ctx);
  const v = await deps.volunteers.byId(volunteerId);
  if (!v) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
  const self = v.userId === actor.userId;
  if (!self && !inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: v.cityCode, path: v.orgPath }))
    throw forbidden({ zh: '只有本人和所在阵地的管理员可以导出志愿服务记录', en: 'Only the volunteer and their site admins may export the record' });
  const scope = scopeCondition({ all: false, subtrees: [{ cityCode: v.cityCode, path: v.orgPath }] }, sql`o.city_code`, sql`o.path`);
  const [row] = await deps.exchange.volunteers(scope, v.id);
  if (!row) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
  const idNumber = deps.pii.decrypt(row.id_number_enc);
  const who = { realName: row.real_name, idNumber };
  const records = await deps.exchange.records(scope, {}, v.id);
  const complaints = await deps.exchange.complaints(v.cityCode, v.id);
  const training = await deps.exchange.training(v.cityCode, v.id);
  const honours = await deps.exchange.honours(v.cityCode, v.id);
  await deps.audit.record(ctx, {
    cityCode: v.cityCode,
    action: 'volunteer.national_export',
    entityType: 'volunteer',
    entityId: v.id,
    after: { self, records: records.length },
  });
  const data = await writeWorkbook(
    [
      { layout: NATIONAL_LAYOUT.volunteers, rows: [deps.volunteerRow(row, idNumber)] },
      { layout: NATIONAL_LAYOUT.records, rows: records.map((r) => deps.recordRow(r, who)) },
      {
        layout: NATIONAL_LAYOUT.training,
        rows: training.map((t) => ({ idNumber, course: t.title, date: t.trained_on, hours: Number(t.hours), organiser: t.org_name })),
      },
      {
        layout: NATIONAL_LAYOUT.honours,
        rows: [
          ...honours.map((h) => ({ idNumber, name: h.award ?? h.round, date: h.day, grantor: h.org_name, basis: h.round })),
          ...deps.honourRows(row, idNumber, row.org_name),
        ],
      },
      {
        layout: NATIONAL_LAYOUT.complaints,
        rows: complaints.map((c) => ({
          idNumber,
          date: deps.localDay(c.rated_at),
          source: `点单 ${c.code}`,
          content: `服务对象评价 ${c.rating} 星${c.rating_comment ? `：${c.rating_comment}` : ''}`,
          result: c.state === 'closed' ? '已办结' : '办理中',
        })),
      },
    ],
    [
      `志愿者：${row.real_name}；已认定服务 ${records.length} 条，合计 ${Number(row.total_hours)} 小时（仅含已审核认定的记录）。`,
      '服务记录按全国志愿服务信息系统的批量导入版式排列，“记录编号”为本平台的记录编号（自全国系统或其他地区导入的记录保留其原编号），重复导入不会重复计入时长。',
      '培训记录：参加培训所得学时（与服务时长分开计）；表彰奖励：评选获得的表彰，以及依据累计认定服务时长评定的星级；投诉记录：服务对象评价为 1–2 星的点单。',
      '本文件含完整的公民身份号码，请妥善保管，仅用于志愿服务记录的转移接续。',
    ],
  );
  return { data, fileName: `志愿服务记录-${row.real_name}.xlsx` };
}

import { sql } from 'drizzle-orm';
import { ruleViolation } from '../../../lib/errors.ts';
import { assertStaff, MANAGE_ROLES, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { writeWorkbook } from '../exchange-sheets.ts';
import { EXPORT_LIMITS, NATIONAL_LAYOUT } from '../national-layout.ts';
import type { ExchangeKit } from '../exchange-kit.ts';

/**
 * The volunteers of the caller's scope (or of one site in it) and their verified hours, in the
 * layout of the national system's batch import: 志愿者信息 and 服务记录 (optionally the services of
 * a period). Org admins only: the file carries whole ID numbers; every download is audited.
 */
export async function exportNationalBatch(
  deps: ExchangeKit,
  ctx: RequestCtx,
  q: { orgId?: string; from?: string; to?: string },
): Promise<{ data: Buffer; fileName: string }> {
  const actor = requireActor(ctx);
  const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor, MANAGE_ROLES), q.orgId);
  const cond = scopeCondition(scope, sql`o.city_code`, sql`o.path`);
  const period = { from: q.from, to: q.to };
  const counts = await deps.exchange.counts(cond, period);
  if (counts.volunteers > EXPORT_LIMITS.maxVolunteers || counts.records > EXPORT_LIMITS.maxRecords)
    throw ruleViolation({
      zh: `范围内有 ${counts.volunteers} 名志愿者、${counts.records} 条服务记录，超过单个文件的上限（${EXPORT_LIMITS.maxVolunteers} 名、${EXPORT_LIMITS.maxRecords} 条）；请选择下级阵地或缩短服务日期范围后分批导出`,
      en: 'Too many rows for one file; narrow by site or period',
    });
  const vols = await deps.exchange.volunteers(cond);
  const records = await deps.exchange.records(cond, period);
  const who = new Map(vols.map((v) => [v.id, { realName: v.real_name, idNumber: deps.pii.decrypt(v.id_number_enc) }]));
  await deps.audit.record(ctx, {
    cityCode: null,
    action: 'volunteer.national_export',
    entityType: 'org',
    entityId: q.orgId ?? actor.userId,
    after: { volunteers: vols.length, records: records.length, from: q.from ?? null, to: q.to ?? null },
  });
  const hours = records.reduce((s, r) => s + Number(r.hours), 0);
  const data = await writeWorkbook(
    [
      { layout: NATIONAL_LAYOUT.volunteers, rows: vols.map((v) => deps.volunteerRow(v, who.get(v.id)!.idNumber)) },
      { layout: NATIONAL_LAYOUT.records, rows: records.filter((r) => who.has(r.volunteer_id)).map((r) => deps.recordRow(r, who.get(r.volunteer_id)!)) },
    ],
    [
      `志愿者 ${vols.length} 名；已认定服务记录 ${records.length} 条，合计 ${Math.round(hours * 100) / 100} 小时${q.from || q.to ? `（服务日期 ${q.from ?? '…'} 至 ${q.to ?? '…'}）` : ''}。`,
      '“记录编号”为本平台的记录编号（自全国系统或其他地区导入的记录保留其原编号）；本文件可导入全国志愿服务信息系统，也可由另一地区导入本平台，不会重复登记志愿者或重复计入时长。',
      '本文件含完整的公民身份号码，请妥善保管。',
    ],
  );
  const day = deps.localDay(deps.clock()).replace(/-/g, '');
  return { data, fileName: `全国志愿服务信息系统-志愿者及服务时长-${day}.xlsx` };
}

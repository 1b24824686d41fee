import { maskPhone } from '@wenming/domain';
import { notFound } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { buildErrorsWorkbook } from '../volunteer-sheets.ts';
import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** The bad rows with their reasons (ID numbers masked; phones as the list shows them). */
export async function exportImportErrors(deps: VolunteerBulkKit, ctx: RequestCtx, id: string): Promise<{ data: Buffer; fileName: string }> {
  const { bulk } = deps;
  const actor = requireActor(ctx);
  const job = await bulk.job(id);
  if (!job || (job.createdBy !== actor.userId && !actor.isAdmin)) throw notFound({ zh: '导入任务不存在', en: 'No such import' });
  const errs = await bulk.errors(id, 1_000_000);
  const rows: { row: number; values: Record<string, string>; reasons: string[] }[] = [];
  for (const e of errs) {
    const last = rows.at(-1);
    if (last && last.row === e.rowNumber) last.reasons.push(e.reason);
    else {
      const values = { ...e.rowValues };
      if (!actor.isAdmin && values.phone) values.phone = maskPhone(values.phone);
      rows.push({ row: e.rowNumber, values, reasons: [e.reason] });
    }
  }
  return { data: await buildErrorsWorkbook(rows), fileName: `${job.fileName.replace(/\.(xlsx|csv)$/i, '')}-问题行.xlsx` };
}

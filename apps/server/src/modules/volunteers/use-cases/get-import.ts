import type { ImportRowError, VolunteerImportDto, VolunteerImportField } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { toIso } from '../../../lib/time.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { MAX_ERRORS_SHOWN, STALE_MS, type VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

export async function getImport(deps: VolunteerBulkKit, ctx: RequestCtx, id: string): Promise<VolunteerImportDto> {
  const { bulk, running } = deps;
  const actor = requireActor(ctx);
  let job = await bulk.job(id);
  if (!job || (job.createdBy !== actor.userId && !actor.isAdmin)) throw notFound({ zh: '导入任务不存在', en: 'No such import' });
  if ((job.state === 'queued' || job.state === 'running') && !running.has(id)) {
    await bulk.failIfStale(id, new Date(Date.now() - STALE_MS), '导入中断（服务曾重启）；请重新导入该文件（已导入的行不会重复登记）');
    job = (await bulk.job(id))!;
  }
  const errs = await bulk.errors(id, MAX_ERRORS_SHOWN + 1);
  return {
    id: job.id,
    fileName: job.fileName,
    state: job.state,
    total: job.total,
    processed: job.processed,
    imported: job.imported,
    failed: job.failed,
    message: job.message,
    errors: errs.slice(0, MAX_ERRORS_SHOWN).map((e): ImportRowError => ({ row: e.rowNumber, field: e.field as VolunteerImportField, reason: e.reason })),
    errorsTruncated: errs.length > MAX_ERRORS_SHOWN,
    createdAt: toIso(job.createdAt),
    finishedAt: job.finishedAt ? toIso(job.finishedAt) : null,
  };
}

import { validationFailed } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { afterCommit } from '../../../db/ambient.ts';
import { assertStaff, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { readVolunteerSheet } from '../volunteer-sheets.ts';
import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** Reads the file now (file-level problems answer at once), then imports in the background. */
export async function startImport(deps: VolunteerBulkKit, ctx: RequestCtx, file: { data: Buffer; fileName: string }): Promise<{ id: string }> {
  const { bulk, running, run } = deps;
  const actor = requireActor(ctx);
  const scope = assertStaff(actor);
  const sheet = await readVolunteerSheet(file.data);
  if (!sheet.length)
    throw validationFailed('file', { zh: '表格中没有志愿者数据：第一行是表头，从第二行起每行一位志愿者', en: 'The sheet has a header but no rows' });
  const id = newId();
  const fileName = (file.fileName || 'import.xlsx').replace(/\p{Cc}/gu, '').slice(0, 255) || 'import.xlsx';
  await bulk.createJob({ id, createdBy: actor.userId, fileName, total: sheet.length });
  // In a request with an Idempotency-Key the job row commits with the request's answer: the
  // import starts once it has (and never, should the request roll back).
  const job = afterCommit(() => run(id, { ...ctx }, scope, sheet)).finally(() => running.delete(id));
  running.set(id, job);
  return { id };
}

import type { QualificationDto } from '@wenming/contracts';
import { forbidden, invalidState, notFound } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** Withdraws a qualification (entered by mistake, or taken away); it stays on file, marked. */
export async function revokeQualification(deps: TrainingKit, ctx: RequestCtx, id: string): Promise<QualificationDto> {
  const q = await deps.training.qualificationById(id);
  if (!q) throw notFound({ zh: '资质不存在', en: 'No such qualification' });
  const { v, level } = await deps.volunteersService.load(ctx, q.volunteerId);
  if (level !== 'manage') throw forbidden({ zh: '仅所属阵地的管理员可以撤销资质', en: 'Only admins of the site may revoke qualifications' });
  await deps.db.transaction(async (tx) => {
    if (!(await deps.training.revokeQualification(tx, v.cityCode, q.id, deps.now()))) throw invalidState({ zh: '该资质已撤销', en: 'Already revoked' });
    await deps.audit.record(ctx, { cityCode: v.cityCode, action: 'qualification.revoke', entityType: 'volunteer_qualification', entityId: q.id }, tx);
  });
  return deps.presentQualification((await deps.training.qualificationById(id))!);
}

import type { LecturerDto, TUpdateLecturerBody } from '@wenming/contracts';
import { validationFailed } from '../../../lib/errors.ts';
import { isAncestorPath, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

export async function updateLecturer(deps: TrainingKit, ctx: RequestCtx, id: string, body: TUpdateLecturerBody): Promise<LecturerDto> {
  const { l } = await deps.loadLecturer(ctx, id);
  if (body.resourceId) {
    const r = await deps.training.talentResource(l.cityCode, body.resourceId);
    if (!r || r.category !== 'talent' || !isAncestorPath(l.orgPath, r.orgPath))
      throw validationFailed('resourceId', { zh: '请选择本阵地资源库中的人才师资', en: 'Choose a talent resource of this site' });
  }
  await deps.db.transaction(async (tx) => {
    await deps.training.updateLecturer(tx, l.cityCode, l.id, body);
    await deps.audit.record(
      ctx,
      { cityCode: l.cityCode, action: 'training.lecturer.update', entityType: 'training_lecturer', entityId: l.id, after: body },
      tx,
    );
  });
  return deps.presentLecturer((await deps.training.lecturerById(id))!);
}

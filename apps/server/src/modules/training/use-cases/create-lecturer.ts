import type { LecturerDto, TCreateLecturerBody } from '@wenming/contracts';
import { validationFailed } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { isAncestorPath, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** 师资库: a lecturer of a site, optionally one of its (or its subtree's) talent resources. */
export async function createLecturer(deps: TrainingKit, ctx: RequestCtx, body: TCreateLecturerBody): Promise<LecturerDto> {
  const actor = requireActor(ctx);
  const org = await deps.managedOrg(actor, body.orgId);
  if (body.resourceId) {
    const r = await deps.training.talentResource(org.cityCode, body.resourceId);
    if (!r || r.category !== 'talent' || !isAncestorPath(org.path, r.orgPath))
      throw validationFailed('resourceId', { zh: '请选择本阵地资源库中的人才师资', en: 'Choose a talent resource of this site' });
  }
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await deps.training.insertLecturer(tx, {
      cityCode: org.cityCode,
      id,
      orgId: org.id,
      name: body.name,
      title: body.title ?? null,
      bio: body.bio ?? null,
      specialties: body.specialties,
      resourceId: body.resourceId ?? null,
      status: 'active',
      createdBy: actor.userId,
    });
    await deps.audit.record(
      ctx,
      { cityCode: org.cityCode, action: 'training.lecturer.create', entityType: 'training_lecturer', entityId: id, after: body },
      tx,
    );
  });
  return deps.presentLecturer((await deps.training.lecturerById(id))!);
}

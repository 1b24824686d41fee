import type { QualificationDto, TCreateQualificationBody } from '@wenming/contracts';
import { forbidden } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** Staff (org admins of the volunteer's site) enter a qualification held, e.g. 急救证 valid until a date. */
export async function addQualification(deps: TrainingKit, ctx: RequestCtx, volunteerId: string, body: TCreateQualificationBody): Promise<QualificationDto> {
  const actor = requireActor(ctx);
  const { v, level } = await deps.volunteersService.load(ctx, volunteerId);
  if (level !== 'manage') throw forbidden({ zh: '仅所属阵地的管理员可以登记资质', en: 'Only admins of the site may enter qualifications' });
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await deps.training.insertQualifications(tx, [
      {
        cityCode: v.cityCode,
        id,
        volunteerId: v.id,
        name: body.name,
        validUntil: body.validUntil ?? null,
        source: 'staff',
        note: body.note ?? null,
        createdBy: actor.userId,
      },
    ]);
    await deps.audit.record(
      ctx,
      { cityCode: v.cityCode, action: 'qualification.add', entityType: 'volunteer_qualification', entityId: id, after: { volunteerId: v.id, ...body } },
      tx,
    );
  });
  return deps.presentQualification((await deps.training.qualificationById(id))!);
}

import type { VolunteerTrainingDto } from '@wenming/contracts';
import { forbidden } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** A volunteer's training hours (apart from service hours) and qualifications: the person and staff of their site. */
export async function getVolunteerTraining(deps: TrainingKit, ctx: RequestCtx, volunteerId: string): Promise<VolunteerTrainingDto> {
  const { v, level } = await deps.volunteersService.load(ctx, volunteerId);
  if (level === 'leader') throw forbidden({ zh: '仅限本人或所属阵地的工作人员查看', en: 'Only the volunteer or staff of their site' });
  const [records, quals] = await Promise.all([deps.training.recordsOf(v.cityCode, v.id), deps.training.qualificationsOf(v.cityCode, v.id)]);
  const day = deps.today();
  return {
    volunteerId: v.id,
    totalHours: Math.round(records.reduce((s, r) => s + Number(r.r.hours), 0) * 10) / 10,
    records: records.map((r) => ({
      id: r.r.id,
      title: r.r.title,
      hours: Number(r.r.hours),
      trainedOn: r.r.trainedOn,
      orgName: r.orgName,
      sessionId: r.r.sessionId,
    })),
    qualifications: quals.map((q) => deps.presentQualification(q, day)),
    allowedActions: level === 'manage' ? ['addQualification'] : [],
  };
}

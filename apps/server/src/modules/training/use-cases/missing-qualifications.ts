import { localDate, missingQualifications as missing } from '@wenming/domain';
import type { TrainingKit } from '../training-kit.ts';

/**
 * The qualifications an activity requires that the volunteer does not hold valid on the
 * activity's (China) day: what the activities' sign-up and candidate checks ask.
 */
export async function missingQualifications(deps: TrainingKit, cityCode: string, activityId: string, volunteerId: string, on: Date): Promise<string[]> {
  const required = await deps.training.requiredOf(cityCode, activityId);
  if (!required.length) return [];
  return missing(required, await deps.training.qualificationsOf(cityCode, volunteerId), localDate(on));
}

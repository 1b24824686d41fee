import type { CourseDto } from '@wenming/contracts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

export async function getCourse(deps: TrainingKit, ctx: RequestCtx, id: string): Promise<CourseDto> {
  const { c } = await deps.loadCourse(ctx, id);
  return deps.presentCourse(c);
}

import type { CourseDto, TUpdateCourseBody } from '@wenming/contracts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';
import { checkLecturers } from './create-course.ts';

export async function updateCourse(deps: TrainingKit, ctx: RequestCtx, id: string, body: TUpdateCourseBody): Promise<CourseDto> {
  const { actor, c } = await deps.loadCourse(ctx, id, true);
  const lecturerIds = body.lecturerIds ? await checkLecturers(deps, actor, c.cityCode, body.lecturerIds) : undefined;
  await deps.db.transaction(async (tx) => {
    await deps.training.updateCourse(tx, c.cityCode, c.id, { ...body, lecturerIds });
    await deps.audit.record(
      ctx,
      {
        cityCode: c.cityCode,
        action: 'training.course.update',
        entityType: 'training_course',
        entityId: c.id,
        before: { title: c.title, hours: c.hours },
        after: body,
      },
      tx,
    );
  });
  return deps.presentCourse((await deps.training.courseById(id))!);
}

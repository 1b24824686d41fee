import type { CourseDto, TCreateCourseBody } from '@wenming/contracts';
import { validationFailed } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireActor, type Actor, type RequestCtx } from '../../../lib/policy.ts';
import type { TrainingKit } from '../training-kit.ts';

/** The lecturers named must be in the city and usable by the caller (their site's pool or one above it). */
export async function checkLecturers(deps: TrainingKit, actor: Actor, cityCode: string, ids: string[]) {
  const unique = [...new Set(ids)];
  const found = await deps.training.lecturersByIds(cityCode, unique);
  if (found.length !== unique.length || found.some((l) => l.status !== 'active' || !deps.usableBy(actor, l)))
    throw validationFailed('lecturerIds', { zh: '讲师不存在或不在您的师资库中', en: 'No such lecturer in your pool' });
  return unique;
}

/** 课程库: a course of a site: title, category, hours, lecturers, and the qualification it grants. */
export async function createCourse(deps: TrainingKit, ctx: RequestCtx, body: TCreateCourseBody): Promise<CourseDto> {
  const actor = requireActor(ctx);
  const org = await deps.managedOrg(actor, body.orgId);
  const lecturerIds = await checkLecturers(deps, actor, org.cityCode, body.lecturerIds);
  const id = newId();
  await deps.db.transaction(async (tx) => {
    await deps.training.insertCourse(tx, {
      cityCode: org.cityCode,
      id,
      orgId: org.id,
      title: body.title,
      category: body.category,
      hours: body.hours,
      description: body.description ?? null,
      lecturerIds,
      qualification: body.qualification ?? null,
      qualificationMonths: body.qualification ? (body.qualificationMonths ?? null) : null,
      status: 'active',
      createdBy: actor.userId,
    });
    await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'training.course.create', entityType: 'training_course', entityId: id, after: body }, tx);
  });
  return deps.presentCourse((await deps.training.courseById(id))!);
}

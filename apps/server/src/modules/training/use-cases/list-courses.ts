import type { CourseDto, Page } from '@wenming/contracts';
import { orgs as orgsTable } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZCreatedCursor, type TrainingKit } from '../training-kit.ts';

export async function listCourses(
  deps: TrainingKit,
  ctx: RequestCtx,
  q: { orgId?: string; q?: string; limit: number; cursor?: string },
): Promise<Page<CourseDto>> {
  const actor = requireActor(ctx);
  const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
  const c = q.cursor ? decodeCursor(q.cursor, ZCreatedCursor) : undefined;
  const rows = await deps.training.listCourses({
    scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path),
    orgPath: n.orgPath,
    q: q.q,
    before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const r of page) items.push(await deps.presentCourse(r));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null };
}

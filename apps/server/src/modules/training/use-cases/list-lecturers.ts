import type { LecturerDto, Page } from '@wenming/contracts';
import { orgs as orgsTable } from '../../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { narrowToOrg } from '../../orgs/index.ts';
import { ZNameCursor, type TrainingKit } from '../training-kit.ts';

export async function listLecturers(
  deps: TrainingKit,
  ctx: RequestCtx,
  q: { orgId?: string; q?: string; limit: number; cursor?: string },
): Promise<Page<LecturerDto>> {
  const actor = requireActor(ctx);
  const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
  const c = q.cursor ? decodeCursor(q.cursor, ZNameCursor) : undefined;
  const rows = await deps.training.listLecturers({
    scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path),
    orgPath: n.orgPath,
    q: q.q,
    after: c,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map(deps.presentLecturer), nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null };
}

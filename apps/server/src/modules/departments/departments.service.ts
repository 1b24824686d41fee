import { z } from 'zod';
import type { DepartmentDto, Page, TCreateDepartmentBody } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { duplicate } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { assertInScope, assertStaff, READ_ROLES, requireActor, scopeCondition, type RequestCtx } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsService } from '../orgs/index.ts';
import type { DepartmentRow, DepartmentsRepository } from './departments.repository.ts';

const ZCursor = z.object({ name: z.string(), id: z.string().uuid() });

export function presentDepartment(d: DepartmentRow): DepartmentDto {
  return { id: d.id, orgId: d.orgId, orgName: d.orgName, name: d.name, createdAt: toIso(d.createdAt) };
}

export function createDepartmentsService(deps: { db: Db; departments: DepartmentsRepository; orgs: OrgsService; audit: AuditRepository }) {
  const { db, departments, orgs, audit } = deps;
  return {
    async create(ctx: RequestCtx, body: TCreateDepartmentBody): Promise<DepartmentDto> {
      const org = await orgs.requireManaged(ctx, body.orgId);
      const id = newId();
      await db.transaction(async (tx) => {
        const ok = await departments.insert({ cityCode: org.cityCode, id, orgId: org.id, name: body.name }, tx);
        if (!ok) throw duplicate({ zh: '该阵地下已有同名职能部门', en: 'This site already has a department of that name' });
        await audit.record(ctx, { cityCode: org.cityCode, action: 'department.create', entityType: 'department', entityId: id, after: body }, tx);
      });
      return presentDepartment((await departments.byId(id))!);
    },

    async list(ctx: RequestCtx, q: { orgId?: string; q?: string; limit: number; cursor?: string }): Promise<Page<DepartmentDto>> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      if (q.orgId) {
        const org = await orgs.requireVisible(ctx, q.orgId);
        assertInScope(actor, READ_ROLES, { cityCode: org.cityCode, path: org.path });
      }
      const rows = await departments.list({
        scope: scopeCondition(scope, orgsTable.cityCode, orgsTable.path),
        orgId: q.orgId,
        q: q.q,
        after: q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return { items: page.map(presentDepartment), nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null };
    },
  };
}

export type DepartmentsService = ReturnType<typeof createDepartmentsService>;

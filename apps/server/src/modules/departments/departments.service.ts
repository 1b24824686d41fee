import { z } from 'zod';
import type { DepartmentDto, DepartmentFiguresDto, Page, TCreateDepartmentBody, TUpdateDepartmentBody } from '@wenming/contracts';
import { DEPARTMENT_MIN_SAMPLE } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { duplicate, forbidden, notFound, PG, pgCode, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { assertInScope, assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type RequestCtx } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsService } from '../orgs/index.ts';
import type { DepartmentRow, DepartmentsRepository, FiguresRow } from './departments.repository.ts';

const ZCursor = z.object({ name: z.string(), id: z.string().uuid() });
const departmentNotFound = () => notFound({ zh: '职能部门不存在', en: 'No such department' });

export function presentDepartment(d: DepartmentRow): DepartmentDto {
  return {
    id: d.id,
    orgId: d.orgId,
    orgName: d.orgName,
    name: d.name,
    createdAt: toIso(d.createdAt),
    categories: d.categories,
    natures: d.natures,
    keywords: d.keywords,
    areaOrgId: d.areaOrgId,
    areaOrgName: d.areaOrgName,
    contact: d.contact,
    ackMinutes: d.ackMinutes,
    resolveMinutes: d.resolveMinutes,
  };
}

/** A rate over a sample below the minimum is not a rate (样本不足): null, with the counts beside it. */
const rate = (n: number, of: number) => (of >= DEPARTMENT_MIN_SAMPLE ? Math.round((n / of) * 1000) / 1000 : null);

function presentFigures(r: FiguresRow): DepartmentFiguresDto {
  const received = Number(r.received);
  const disputes = Number(r.disputes);
  return {
    departmentId: r.department_id,
    name: r.name,
    orgName: r.org_name,
    received,
    open: Number(r.open),
    overdue: Number(r.overdue),
    acknowledgedInTime: Number(r.acked_in_time),
    ackDue: Number(r.ack_due),
    ackRate: rate(Number(r.acked_in_time), Number(r.ack_due)),
    resolvedInTime: Number(r.resolved_in_time),
    resolveDue: Number(r.resolve_due),
    onTimeRate: rate(Number(r.resolved_in_time), Number(r.resolve_due)),
    satisfied: Number(r.satisfied),
    rated: Number(r.rated),
    satisfactionRate: rate(Number(r.satisfied), Number(r.rated)),
    disputes,
    disputeRate: rate(disputes, received),
    avgHandleHours: r.avg_handle_hours === null ? null : Math.round(Number(r.avg_handle_hours) * 10) / 10,
    minSample: DEPARTMENT_MIN_SAMPLE,
  };
}

export function createDepartmentsService(deps: {
  db: Db;
  departments: DepartmentsRepository;
  orgs: OrgsService;
  audit: AuditRepository;
  /** The category codes that exist (the "8+N" catalogue). */
  categoryCodes: () => Promise<string[]>;
  clock?: () => Date;
}) {
  const { db, departments, orgs, audit } = deps;
  const now = deps.clock ?? (() => new Date());

  /** The department, if the caller may see it: staff of its org's subtree, or its own officers. */
  async function visible(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const d = await departments.byId(id);
    if (!d) throw departmentNotFound();
    const own = actor.grants.some((g) => g.role === 'dept_officer' && g.departmentId === d.id);
    if (!own && !inScope(scopeOf(actor, READ_ROLES), { cityCode: d.cityCode, path: d.orgPath }))
      throw forbidden({ zh: '该职能部门不在您的管辖范围内', en: 'This department is outside your scope' });
    return { actor, d };
  }

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

    async get(ctx: RequestCtx, id: string): Promise<DepartmentDto> {
      return presentDepartment((await visible(ctx, id)).d);
    },

    /** The routing directory entry (派单目录): managed by the admins of the department's site. */
    async update(ctx: RequestCtx, id: string, body: TUpdateDepartmentBody): Promise<DepartmentDto> {
      const actor = requireActor(ctx);
      const d = await departments.byId(id);
      if (!d) throw departmentNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: d.cityCode, path: d.orgPath });
      if (body.areaOrgId) {
        const area = await orgs.requireManaged(ctx, body.areaOrgId);
        if (area.cityCode !== d.cityCode) throw ruleViolation({ zh: '管辖范围须在本市', en: 'The area must be in the same city' });
      }
      if (body.categories?.length) {
        const known = new Set(await deps.categoryCodes());
        const unknown = body.categories.filter((c) => !known.has(c));
        if (unknown.length) throw ruleViolation({ zh: `服务类别不存在：${unknown.join('、')}`, en: `No such categories: ${unknown.join(', ')}` });
      }
      const patch = {
        ...body,
        categories: body.categories && [...new Set(body.categories)],
        natures: body.natures && [...new Set(body.natures)],
        keywords: body.keywords && [...new Set(body.keywords)],
      };
      for (const k of Object.keys(patch) as (keyof typeof patch)[]) if (patch[k] === undefined) delete patch[k];
      try {
        await db.transaction(async (tx) => {
          await departments.update(d.cityCode, d.id, patch, now(), tx);
          await audit.record(
            ctx,
            { cityCode: d.cityCode, action: 'department.update', entityType: 'department', entityId: d.id, before: presentDepartment(d), after: patch },
            tx,
          );
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '该阵地下已有同名职能部门', en: 'This site already has a department of that name' });
        throw e;
      }
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

    /**
     * Figures per department (签收率·按时办结率·满意率·退单率, average handling time): staff see the
     * departments of their subtree (or of `orgId` in it), an officer their own department.
     */
    async figures(ctx: RequestCtx, q: { orgId?: string }): Promise<{ items: DepartmentFiguresDto[] }> {
      const actor = requireActor(ctx);
      const t = now();
      const byCity = new Map<string, { subtrees: string[]; departmentIds: string[] }>();
      const at = (city: string) => byCity.get(city) ?? byCity.set(city, { subtrees: [], departmentIds: [] }).get(city)!;
      if (q.orgId) {
        const org = await orgs.requireVisible(ctx, q.orgId);
        at(org.cityCode).subtrees.push(org.path);
      } else {
        const scope = scopeOf(actor, READ_ROLES);
        if (scope.all) for (const c of await departments.cities()) at(c).subtrees.push('');
        else for (const s of scope.subtrees) at(s.cityCode).subtrees.push(s.path);
        for (const g of actor.grants) if (g.role === 'dept_officer' && g.departmentId) at(g.cityCode).departmentIds.push(g.departmentId);
        if (!byCity.size) throw forbidden({ zh: '仅限工作人员和职能部门使用', en: 'Staff and department officers only' });
      }
      const items: DepartmentFiguresDto[] = [];
      for (const [city, which] of byCity) {
        const rows = await departments.figures(
          city,
          {
            subtrees: which.subtrees.map((p) => p || null).filter((p): p is string => p !== null),
            departmentIds: which.departmentIds,
            all: which.subtrees.includes(''),
          },
          t,
        );
        items.push(...rows.map(presentFigures));
      }
      return { items };
    },
  };
}

export type DepartmentsService = ReturnType<typeof createDepartmentsService>;

import { z } from 'zod';
import type { Page, TCreateUserBody, TGrantRoleBody, UserDto } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { duplicate, forbidden, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/password.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { assertInScope, assertStaff, inScope, MANAGE_ROLES, requireActor, scopeCondition, type RequestCtx } from '../../lib/policy.ts';
import { sql } from 'drizzle-orm';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsService } from '../orgs/index.ts';
import type { DepartmentsRepository } from '../departments/index.ts';
import type { UsersRepository } from './users.repository.ts';
import { presentUser } from './users.presenter.ts';

const ZCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
const userNotFound = () => notFound({ zh: '用户不存在', en: 'No such user' });

export function createUsersService(deps: { db: Db; users: UsersRepository; orgs: OrgsService; departments: DepartmentsRepository; audit: AuditRepository }) {
  const { db, users, orgs, departments, audit } = deps;

  async function dto(ctx: RequestCtx, id: string): Promise<UserDto> {
    const actor = requireActor(ctx);
    const user = await users.byId(id);
    if (!user) throw userNotFound();
    return presentUser(user, await users.grantsOf([id]), actor);
  }

  return {
    /** Staff create accounts for colleagues (admin, or an org_admin anywhere). */
    async create(ctx: RequestCtx, body: TCreateUserBody): Promise<UserDto> {
      const actor = requireActor(ctx);
      assertStaff(actor, MANAGE_ROLES);
      const passwordHash = await hashPassword(body.password);
      const id = newId();
      await db.transaction(async (tx) => {
        const created = await users.insert({ id, phone: body.phone, name: body.name, passwordHash }, tx);
        if (!created) throw duplicate({ zh: '该手机号已注册', en: 'This phone number is already registered' });
        await audit.record(ctx, { cityCode: null, action: 'user.create', entityType: 'user', entityId: id, after: { phone: body.phone, name: body.name } }, tx);
      });
      return dto(ctx, id);
    },

    /**
     * An org_admin looks up the people of their subtree: a user holding a role or a volunteer
     * profile there, or an account not attached anywhere yet (just created, or found by its exact
     * phone to be given a role). Someone attached only elsewhere is another district's: 403.
     * The phone is masked for non-admins.
     */
    async get(ctx: RequestCtx, id: string): Promise<UserDto> {
      const actor = requireActor(ctx);
      if (actor.userId === id || actor.isAdmin) return dto(ctx, id);
      const scope = assertStaff(actor, MANAGE_ROLES);
      const user = await users.byId(id);
      if (!user) throw userNotFound();
      const grants = await users.grantsOf([id]);
      const places = [...grants.map((g) => ({ cityCode: g.cityCode, path: g.orgPath })), ...(await users.volunteerSitesOf(id))];
      if (places.length > 0 && !places.some((p) => inScope(scope, p)))
        throw forbidden({ zh: '该用户不在您的管辖范围内', en: 'This user is outside your scope' });
      return presentUser(user, grants, actor);
    },

    async list(ctx: RequestCtx, q: { q?: string; limit: number; cursor?: string }): Promise<Page<UserDto>> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor, MANAGE_ROLES);
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await users.list({
        scopeSql: scope.all ? null : scopeCondition(scope, sql`o.city_code`, sql`o.path`),
        q: q.q,
        limit: q.limit + 1,
        before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
      });
      const page = rows.slice(0, q.limit);
      const grants = await users.grantsOf(page.map((u) => u.id));
      return {
        items: page.map((u) =>
          presentUser(
            u,
            grants.filter((g) => g.userId === u.id),
            actor,
          ),
        ),
        nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null,
      };
    },

    async grant(ctx: RequestCtx, userId: string, body: TGrantRoleBody): Promise<{ id: string }> {
      const actor = requireActor(ctx);
      const target = await users.byId(userId);
      if (!target) throw userNotFound();
      let cityCode: string;
      let orgId: string;
      let departmentId: string | null = null;
      let orgPath: string | null = null;
      if (body.role === 'dept_officer') {
        if (!actor.isAdmin) throw forbidden({ zh: '只有超级管理员可以任命职能部门专员', en: 'Only an administrator grants dept_officer' });
        const dept = await departments.byId(body.departmentId!);
        if (!dept) throw notFound({ zh: '职能部门不存在', en: 'No such department' });
        cityCode = dept.cityCode;
        orgId = dept.orgId;
        departmentId = dept.id;
      } else {
        const org = await orgs.requireManaged(ctx, body.orgId!);
        cityCode = org.cityCode;
        orgId = org.id;
        orgPath = org.path;
      }
      const id = newId();
      await db.transaction(async (tx) => {
        const created = await users.insertGrant({ id, cityCode, userId, role: body.role, orgId, departmentId, grantedBy: actor.userId }, tx);
        if (!created) throw duplicate({ zh: '该用户已拥有此角色', en: 'The user already has this role' });
        await audit.record(ctx, { cityCode, orgPath, action: 'role.grant', entityType: 'user', entityId: userId, after: { grantId: id, ...body } }, tx);
      });
      return { id };
    },

    async revoke(ctx: RequestCtx, userId: string, grantId: string): Promise<void> {
      const actor = requireActor(ctx);
      const found = await users.grantById(grantId);
      if (!found || found.grant.userId !== userId) throw notFound({ zh: '授权不存在', en: 'No such role grant' });
      if (found.grant.role === 'dept_officer') {
        if (!actor.isAdmin) throw forbidden();
      } else {
        assertInScope(actor, MANAGE_ROLES, { cityCode: found.grant.cityCode, path: found.orgPath });
      }
      await db.transaction(async (tx) => {
        const deleted = await users.deleteGrant(found.grant.cityCode, grantId, tx);
        if (!deleted) throw notFound({ zh: '授权不存在', en: 'No such role grant' });
        await audit.record(
          ctx,
          { cityCode: found.grant.cityCode, orgPath: found.orgPath, action: 'role.revoke', entityType: 'user', entityId: userId, before: found.grant },
          tx,
        );
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;

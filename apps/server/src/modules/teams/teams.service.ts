import { z } from 'zod';
import { msg, type Page, type TCreateTeamBody, type TeamDto } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { AppError, duplicate, forbidden, notFound, pgCode, PG, ruleViolation } from '../../lib/errors.ts';
import { newCityId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import {
  assertInScope,
  assertStaff,
  inScope,
  MANAGE_ROLES,
  READ_ROLES,
  requireActor,
  scopeCondition,
  scopeOf,
  type Actor,
  type RequestCtx,
} from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { UsersRepository } from '../users/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { TeamRow, TeamsRepository } from './teams.repository.ts';

const ZCursor = z.object({ name: z.string(), id: z.string().uuid() });
const teamNotFound = () => notFound({ zh: '队伍不存在', en: 'No such team' });
const TIER_RANK = { corps: 3, squad: 2, unit: 1 } as const;

export function createTeamsService(deps: {
  db: Db;
  teams: TeamsRepository;
  orgs: OrgsRepository;
  users: UsersRepository;
  volunteers: VolunteersRepository;
  audit: AuditRepository;
  /**
   * Whether the user administers the volunteer organisation the team belongs to (组织管理员, issue 21):
   * they manage its members like the leader. Passed in by the composition root, so that this
   * module does not reach into the organisations module.
   */
  administersTeamsOrganisation?: (userId: string, cityCode: string, teamId: string) => Promise<boolean>;
}) {
  const { db, teams, orgs, users, volunteers, audit } = deps;
  const organisationAdmin = (actor: Actor, t: TeamRow) => deps.administersTeamsOrganisation?.(actor.userId, t.cityCode, t.id) ?? Promise.resolve(false);

  const canManage = (actor: Actor, t: TeamRow) => inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: t.cityCode, path: t.orgPath });
  const canManageMembers = async (actor: Actor, t: TeamRow) => canManage(actor, t) || t.leaderUserId === actor.userId || (await organisationAdmin(actor, t));

  async function present(actor: Actor, t: TeamRow): Promise<TeamDto> {
    const actions: string[] = [];
    if (await canManageMembers(actor, t)) actions.push('addMember', 'removeMember');
    return {
      id: t.id,
      orgId: t.orgId,
      orgName: t.orgName,
      parentTeamId: t.parentTeamId,
      name: t.name,
      tier: t.tier,
      type: t.type,
      category: t.category,
      leaderUserId: t.leaderUserId,
      leaderName: t.leaderName,
      description: t.description,
      memberCount: t.memberCount,
      totalHours: t.totalHours,
      allowedActions: actions,
    };
  }

  async function load(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const t = await teams.byId(id);
    if (!t) throw teamNotFound();
    return { actor, t };
  }

  return {
    async create(ctx: RequestCtx, body: TCreateTeamBody): Promise<TeamDto> {
      const actor = requireActor(ctx);
      const org = await orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      if (body.parentTeamId) {
        const parent = await teams.byId(body.parentTeamId);
        if (!parent || parent.cityCode !== org.cityCode) throw notFound({ zh: '上级队伍不存在', en: 'No such parent team' });
        if (TIER_RANK[parent.tier] <= TIER_RANK[body.tier])
          throw ruleViolation({
            zh: '上级队伍的层级须高于本队（总队 > 分队 > 服务队）',
            en: 'The parent team must be of a higher tier (corps > squad > unit)',
          });
      }
      if (body.leaderUserId && !(await users.byId(body.leaderUserId))) throw notFound({ zh: '队长账号不存在', en: 'No such leader account' });
      const id = newCityId(org.cityCode);
      try {
        await db.transaction(async (tx) => {
          const ok = await teams.insert(
            {
              cityCode: org.cityCode,
              id,
              orgId: org.id,
              parentTeamId: body.parentTeamId ?? null,
              name: body.name,
              tier: body.tier,
              type: body.type,
              category: body.category,
              leaderUserId: body.leaderUserId ?? null,
              description: body.description ?? null,
            },
            tx,
          );
          if (!ok) throw duplicate({ zh: '该阵地已有同名队伍', en: 'This site already has a team of that name' });
          await audit.record(ctx, { cityCode: org.cityCode, action: 'team.create', entityType: 'team', entityId: id, after: body }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.foreignKeyViolation)
          throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'category', message: msg('无效的服务类别', 'Invalid category code') }]);
        throw e;
      }
      return await present(actor, (await teams.byId(id))!);
    },

    async get(ctx: RequestCtx, id: string) {
      const { actor, t } = await load(ctx, id);
      const members = await teams.members(t.cityCode, t.id);
      const visible =
        inScope(scopeOf(actor, READ_ROLES), { cityCode: t.cityCode, path: t.orgPath }) ||
        t.leaderUserId === actor.userId ||
        members.some((m) => m.userId === actor.userId) ||
        (await organisationAdmin(actor, t));
      if (!visible) throw forbidden({ zh: '无权查看该队伍', en: 'You may not see this team' });
      return {
        ...(await present(actor, t)),
        createdAt: toIso(t.createdAt),
        members: members.map((m) => ({
          volunteerId: m.volunteerId,
          realName: m.realName,
          skills: m.skills,
          status: m.status,
          totalHours: m.totalHours,
          joinedAt: toIso(m.joinedAt),
        })),
      };
    },

    async list(ctx: RequestCtx, q: { orgId?: string; category?: string; q?: string; limit: number; cursor?: string }): Promise<Page<TeamDto>> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      const { orgPath } = await narrowToOrg(orgs, scope, q.orgId);
      const rows = await teams.list({
        scope: scopeCondition(scope, orgsTable.cityCode, orgsTable.path),
        orgPath,
        category: q.category,
        q: q.q,
        after: q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: await Promise.all(page.map((t) => present(actor, t))),
        nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null,
      };
    },

    async addMember(ctx: RequestCtx, teamId: string, volunteerId: string) {
      const { actor, t } = await load(ctx, teamId);
      if (!(await canManageMembers(actor, t))) throw forbidden({ zh: '只有管理员或队长可以调整队员', en: 'Only staff or the leader manage members' });
      const v = await volunteers.byId(volunteerId);
      if (!v || v.cityCode !== t.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
      await db.transaction(async (tx) => {
        const ok = await teams.addMember(t.cityCode, t.id, v.id, tx);
        if (!ok) throw duplicate({ zh: '该志愿者已在队伍中', en: 'The volunteer is already a member' });
        await audit.record(ctx, { cityCode: t.cityCode, action: 'team.addMember', entityType: 'team', entityId: t.id, after: { volunteerId } }, tx);
      });
      return { teamId: t.id, volunteerId: v.id };
    },

    async removeMember(ctx: RequestCtx, teamId: string, volunteerId: string) {
      const { actor, t } = await load(ctx, teamId);
      if (!(await canManageMembers(actor, t))) throw forbidden({ zh: '只有管理员或队长可以调整队员', en: 'Only staff or the leader manage members' });
      await db.transaction(async (tx) => {
        const ok = await teams.removeMember(t.cityCode, t.id, volunteerId, tx);
        if (!ok) throw notFound({ zh: '该志愿者不在队伍中', en: 'The volunteer is not a member' });
        await audit.record(ctx, { cityCode: t.cityCode, action: 'team.removeMember', entityType: 'team', entityId: t.id, before: { volunteerId } }, tx);
      });
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;

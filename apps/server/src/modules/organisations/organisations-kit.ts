// 志愿服务组织 and join requests: the dependencies and helpers the use cases share (use-cases/*.ts).
import { z } from 'zod';
import type { JoinRequestDto, OrganisationDto } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, isStaff, MANAGE_ROLES, READ_ROLES, scopeOf, type Actor } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { UsersRepository } from '../users/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { JoinRequestRow, JoinRequestsRepository } from './join-requests.repository.ts';
import type { OrganisationRow, OrganisationsRepository } from './organisations.repository.ts';

export interface OrganisationsDeps {
  db: Db;
  organisations: OrganisationsRepository;
  joinRequests: JoinRequestsRepository;
  orgs: OrgsRepository;
  teams: TeamsRepository;
  volunteers: VolunteersRepository;
  users: UsersRepository;
  audit: AuditRepository;
  /** Inbox notices: to the deciders of a new request, and to the volunteer when it is decided. */
  notifications?: NotificationsRepository;
  categoryCodes: () => Promise<string[]>;
  clock?: () => Date;
}

export const ZNameCursor = z.object({ name: z.string(), id: z.string().uuid() });
export const ZRequestCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });

export const organisationNotFound = () => notFound({ zh: '志愿服务组织不存在', en: 'No such volunteer organisation' });
export const requestNotFound = () => notFound({ zh: '申请不存在', en: 'No such join request' });
export const outOfScope = () => forbidden({ zh: '该组织不在您的管辖范围内', en: 'This organisation is outside your scope' });

/** What the caller is to an organisation. */
export interface OrganisationAccess {
  /** org_admin (or super admin) over the supervising site: everything, including its teams and admins. */
  staffManages: boolean;
  /** Staff who may read the supervising site's subtree. */
  staffReads: boolean;
  /** 组织管理员 of this organisation: its details, members and join requests. */
  organisationAdmin: boolean;
}

export function createOrganisationsKit(deps: OrganisationsDeps) {
  const now = deps.clock ?? (() => new Date());

  async function accessTo(actor: Actor, o: Pick<OrganisationRow, 'cityCode' | 'id' | 'orgPath'>): Promise<OrganisationAccess> {
    const site = { cityCode: o.cityCode, path: o.orgPath };
    const staffManages = inScope(scopeOf(actor, MANAGE_ROLES), site);
    const staffReads = inScope(scopeOf(actor, READ_ROLES), site);
    const organisationAdmin = await deps.organisations.isAdmin(o.cityCode, o.id, actor.userId);
    return { staffManages, staffReads, organisationAdmin };
  }
  const canManage = (a: OrganisationAccess) => a.staffManages || a.organisationAdmin;

  /** The organisation, or 404; 403 for staff of another subtree, 404 for anyone else who may not see it. */
  async function loadFor(actor: Actor, id: string, need: 'read' | 'manage' | 'staff') {
    const o = await deps.organisations.byId(id);
    if (!o) throw organisationNotFound();
    const access = await accessTo(actor, o);
    const ok =
      need === 'staff'
        ? access.staffManages
        : need === 'manage'
          ? canManage(access)
          : access.staffReads || access.organisationAdmin || (!!actor.volunteerId && (await deps.organisations.isMember(o.cityCode, o.id, actor.volunteerId)));
    if (!ok) {
      if (isStaff(actor) || access.organisationAdmin || access.staffReads)
        throw need === 'staff' && access.organisationAdmin
          ? forbidden({ zh: '只有阵地管理员可以调整组织的队伍与管理员', en: "Only the site's admins change the organisation's teams and admins" })
          : outOfScope();
      throw organisationNotFound();
    }
    return { o, access };
  }

  function present(o: OrganisationRow, access: OrganisationAccess): OrganisationDto {
    const allowedActions: string[] = [];
    if (canManage(access)) allowedActions.push('update', 'manageMembers', 'decide');
    if (access.staffManages) allowedActions.push('manageTeams', 'manageAdmins');
    return {
      id: o.id,
      orgId: o.orgId,
      orgName: o.orgName,
      name: o.name,
      creditCode: o.creditCode,
      registrationAuthority: o.registrationAuthority,
      contactName: o.contactName,
      contactPhone: o.contactPhone,
      address: o.address,
      description: o.description,
      categories: o.categories,
      status: o.status,
      memberCount: o.memberCount,
      teamCount: o.teamCount,
      createdAt: toIso(o.createdAt),
      allowedActions,
    };
  }

  /** May the actor decide this request (approve or refuse)? */
  async function mayDecide(actor: Actor, r: JoinRequestRow): Promise<boolean> {
    const manage = scopeOf(actor, MANAGE_ROLES);
    if (r.teamId) {
      if (r.teamOrgPath && inScope(manage, { cityCode: r.cityCode, path: r.teamOrgPath })) return true;
      if (r.teamLeaderUserId === actor.userId) return true;
      return !!r.teamOrganisationId && (await deps.organisations.isAdmin(r.cityCode, r.teamOrganisationId, actor.userId));
    }
    if (r.organisationOrgPath && inScope(manage, { cityCode: r.cityCode, path: r.organisationOrgPath })) return true;
    return !!r.organisationId && (await deps.organisations.isAdmin(r.cityCode, r.organisationId, actor.userId));
  }

  function presentRequest(actor: Actor, r: JoinRequestRow, decider: boolean): JoinRequestDto {
    const allowedActions: string[] = [];
    if (r.status === 'pending' && decider) allowedActions.push('approve', 'refuse');
    if (r.status === 'pending' && r.volunteerUserId === actor.userId) allowedActions.push('withdraw');
    return {
      id: r.id,
      kind: r.teamId ? 'team' : 'organisation',
      targetId: (r.teamId ?? r.organisationId)!,
      targetName: (r.teamId ? r.teamName : r.organisationName) ?? '',
      volunteerId: r.volunteerId,
      volunteerName: r.volunteerName,
      message: r.message,
      status: r.status,
      reason: r.reason,
      createdAt: toIso(r.createdAt),
      decidedAt: r.decidedAt ? toIso(r.decidedAt) : null,
      allowedActions,
    };
  }

  return { ...deps, now, accessTo, canManage, loadFor, present, mayDecide, presentRequest };
}

export type OrganisationsKit = ReturnType<typeof createOrganisationsKit>;

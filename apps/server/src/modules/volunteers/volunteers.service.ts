import { z } from 'zod';
import { msg, type ActivationCodeDto, type Page, type TRegisterVolunteerBody, type VolunteerDto, type ZListVolunteersQuery } from '@wenming/contracts';
import { hoursToNextStar, idNumberFacts, isValidIdNumber, maskIdNumber, maskPhone, starLevel, STAR_THRESHOLDS } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { AppError, duplicate, forbidden, notFound, pgCode, pgConstraint, PG, ruleViolation, invalidState } from '../../lib/errors.ts';
import { newCityId } from '../../lib/ids.ts';
import type { Pii } from '../../lib/pii.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { VolunteerRow, VolunteersRepository, VolunteerTeam } from './volunteers.repository.ts';
import type { UsersRepository } from '../users/index.ts';
import type { AuthService } from '../auth/index.ts';

const ZCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
export const volunteerNotFound = () => notFound({ zh: '志愿者不存在', en: 'No such volunteer' });

export interface VolunteersDeps {
  db: Db;
  volunteers: VolunteersRepository;
  orgs: OrgsRepository;
  catalogues: ReturnType<typeof createCataloguesRepository>;
  audit: AuditRepository;
  pii: Pii;
  users: Pick<UsersRepository, 'byId' | 'grantsOf'>;
  /** Issues 激活码 (the auth module keeps them). */
  activation: Pick<AuthService, 'issueActivationCode'>;
}

export function createVolunteersService(deps: VolunteersDeps) {
  const { db, volunteers, orgs, audit, pii } = deps;

  async function assertKnownSkills(skills: string[]) {
    if (!skills.length) return;
    const known = new Set((await deps.catalogues.categories()).map((c) => c.code));
    const unknown = skills.filter((s) => !known.has(s));
    if (unknown.length)
      throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'skills', message: msg('包含未知的服务类别', 'Contains an unknown category') }]);
  }

  /** Who may see a volunteer: the person, staff of the subtree, leaders of their teams. */
  async function access(actor: Actor, v: VolunteerRow): Promise<'self' | 'manage' | 'staff' | 'leader' | null> {
    if (actor.userId === v.userId) return 'self';
    const ref = { cityCode: v.cityCode, path: v.orgPath };
    if (inScope(scopeOf(actor, MANAGE_ROLES), ref)) return 'manage';
    if (inScope(scopeOf(actor, READ_ROLES), ref)) return 'staff';
    const teams = await volunteers.teamsOf(v.cityCode, v.id);
    if (teams.some((t) => t.leaderUserId === actor.userId)) return 'leader';
    return null;
  }

  /** The DTO of a volunteer whose teams are already loaded (a page loads them in one query). */
  function toDto(actor: Actor, v: VolunteerRow, level: string, teams: readonly VolunteerTeam[]): VolunteerDto {
    const actions: string[] = [];
    if (level === 'manage') actions.push(v.status === 'active' ? 'suspend' : 'reactivate', 'activationCode');
    return {
      id: v.id,
      userId: v.userId,
      realName: v.realName,
      idNumber: v.idNumberMasked,
      phone: level === 'self' || actor.isAdmin ? v.phone : maskPhone(v.phone),
      orgId: v.orgId,
      orgName: v.orgName,
      skills: v.skills,
      specialties: v.specialties,
      politicalStatus: v.politicalStatus,
      workUnit: v.workUnit,
      availability: v.availability,
      status: v.status,
      statusReason: v.statusReason,
      totalHours: v.totalHours,
      star: starLevel(v.totalHours),
      hoursToNextStar: hoursToNextStar(v.totalHours),
      points: v.points,
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      createdAt: toIso(v.createdAt),
      allowedActions: actions,
    };
  }

  async function present(actor: Actor, v: VolunteerRow, level: string): Promise<VolunteerDto> {
    return toDto(actor, v, level, await volunteers.teamsOf(v.cityCode, v.id));
  }

  async function load(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const v = await volunteers.byId(id);
    if (!v) throw volunteerNotFound();
    const level = await access(actor, v);
    if (!level) throw forbidden({ zh: '无权查看该志愿者', en: 'You may not see this volunteer' });
    return { actor, v, level };
  }

  return {
    access,

    /** 志愿者报到: the signed-in user registers as a volunteer at a site. */
    async register(ctx: RequestCtx, body: TRegisterVolunteerBody): Promise<VolunteerDto> {
      const actor = requireActor(ctx);
      if (!isValidIdNumber(body.idNumber))
        throw new AppError('VALIDATION_FAILED', undefined, [
          { path: 'idNumber', message: msg('身份证号码无效（校验位或出生日期不正确）', 'Invalid resident ID number (check digit or birth date)') },
        ]);
      if ((body.lat === undefined) !== (body.lng === undefined))
        throw new AppError('VALIDATION_FAILED', undefined, [
          { path: body.lat === undefined ? 'lat' : 'lng', message: msg('经纬度须同时填写', 'Give latitude and longitude together') },
        ]);
      await assertKnownSkills([...body.skills]);
      const org = await orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      if (org.level === 'city')
        throw ruleViolation({ zh: '请选择所在的社区（村）实践站或街道实践所报到', en: 'Report in at a station, institute or center, not a city' });
      const facts = idNumberFacts(body.idNumber);
      const id = newCityId(org.cityCode);
      // Coarse home location: about 100 m.
      const coarse = (x: number | undefined) => (x === undefined ? null : Math.round(x * 1000) / 1000);
      try {
        await db.transaction(async (tx) => {
          await volunteers.insert(
            {
              cityCode: org.cityCode,
              id,
              userId: actor.userId,
              orgId: org.id,
              realName: body.realName,
              idNumberEnc: pii.encrypt(body.idNumber),
              idNumberHash: pii.hash(body.idNumber),
              idNumberMasked: maskIdNumber(body.idNumber),
              birthYear: facts.birthYear,
              gender: facts.gender,
              skills: [...new Set(body.skills)],
              specialties: [...new Set(body.specialties ?? [])],
              politicalStatus: body.politicalStatus ?? 'masses',
              workUnit: body.workUnit ?? null,
              availability: body.availability ?? [],
              lat: coarse(body.lat),
              lng: coarse(body.lng),
              status: 'active',
              totalHours: 0,
            },
            tx,
          );
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) {
          if (pgConstraint(e) === 'volunteers_user_key') throw duplicate({ zh: '您已登记为志愿者', en: 'You are already registered as a volunteer' });
          throw duplicate({ zh: '该身份证号已登记为志愿者', en: 'This ID number is already registered' });
        }
        throw e;
      }
      const v = (await volunteers.byId(id))!;
      return present(actor, v, 'self');
    },

    async get(ctx: RequestCtx, id: string): Promise<VolunteerDto> {
      const { actor, v, level } = await load(ctx, id);
      if (level !== 'self') await audit.record(ctx, { cityCode: v.cityCode, action: 'volunteer.view', entityType: 'volunteer', entityId: v.id });
      return present(actor, v, level);
    },

    async mine(ctx: RequestCtx): Promise<VolunteerDto | null> {
      const actor = requireActor(ctx);
      const [v] = await volunteers.byUserId(actor.userId);
      return v ? present(actor, v, 'self') : null;
    },

    async list(ctx: RequestCtx, q: z.infer<typeof ZListVolunteersQuery>): Promise<Page<VolunteerDto>> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      const { orgPath } = await narrowToOrg(orgs, scope, q.orgId);
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const star = q.star;
      const rows = await volunteers.list({
        scope: scopeCondition(scope, orgsTable.cityCode, orgsTable.path),
        orgPath,
        skill: q.skill,
        teamId: q.teamId,
        minHours: star === undefined || star === 0 ? undefined : STAR_THRESHOLDS[star - 1],
        maxHours: star === undefined || star === 5 ? undefined : STAR_THRESHOLDS[star],
        politicalStatus: q.politicalStatus,
        status: q.status,
        q: q.q,
        before: c ? { createdKey: c.createdAt, id: c.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const teams = await volunteers.teamsOfMany(page);
      const manage = scopeOf(actor, MANAGE_ROLES);
      const items = page.map((v) => toDto(actor, v, inScope(manage, { cityCode: v.cityCode, path: v.orgPath }) ? 'manage' : 'staff', teams.get(v.id) ?? []));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdKey, id: page.at(-1)!.id }) : null };
    },

    async setStatus(ctx: RequestCtx, id: string, to: 'active' | 'suspended', reason: string): Promise<VolunteerDto> {
      const { actor, v, level } = await load(ctx, id);
      if (level !== 'manage') throw forbidden();
      const from = to === 'active' ? 'suspended' : 'active';
      await db.transaction(async (tx) => {
        const ok = await volunteers.setStatus(v.cityCode, v.id, from, to, reason, tx);
        if (!ok) throw invalidState({ zh: to === 'active' ? '该志愿者未被暂停' : '该志愿者已被暂停', en: `The volunteer is not ${from}` });
        await audit.record(
          ctx,
          {
            cityCode: v.cityCode,
            action: to === 'active' ? 'volunteer.reactivate' : 'volunteer.suspend',
            entityType: 'volunteer',
            entityId: v.id,
            before: { status: from },
            after: { status: to, reason },
          },
          tx,
        );
      });
      return present(actor, (await volunteers.byId(id))!, level);
    },

    /**
     * 激活码 for a volunteer who cannot sign in (imported without a password, or forgot it),
     * by staff who manage them. Someone who also holds a staff role, or a platform admin, can
     * get one only from a platform admin: a site's staff must not take over a colleague's account.
     */
    async issueActivationCode(ctx: RequestCtx, id: string): Promise<ActivationCodeDto> {
      const { actor, v, level } = await load(ctx, id);
      if (level !== 'manage') throw forbidden();
      if (!actor.isAdmin) {
        const [user, grants] = await Promise.all([deps.users.byId(v.userId), deps.users.grantsOf([v.userId])]);
        if (user?.isAdmin || grants.length)
          throw forbidden({
            zh: '该志愿者同时是工作人员，请由超级管理员为其生成激活码',
            en: 'This volunteer is also staff; ask a platform admin for the code',
          });
      }
      return db.transaction(async (tx) => {
        const code = await deps.activation.issueActivationCode(tx, v.userId, actor.userId);
        await audit.record(
          ctx,
          { cityCode: v.cityCode, action: 'volunteer.activation_code', entityType: 'volunteer', entityId: v.id, after: { expiresAt: code.expiresAt } },
          tx,
        );
        return code;
      });
    },

    load,
  };
}

export type VolunteersService = ReturnType<typeof createVolunteersService>;

import type { OrgDto, TCreateOrgBody, TListOrgsQuery, TUpdateOrgBody, Page } from '@wenming/contracts';
import { ORG_LEVEL_NAMES } from '@wenming/contracts';
import { canBeChildOf, childLevelsOf } from '@wenming/domain';
import { z } from 'zod';
import { msg } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { AppError, duplicate, forbidden, notFound, pgCode, pgConstraint, PG, ruleViolation } from '../../lib/errors.ts';
import { idFromLabel, ltreeLabel, newCityId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
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
  type Scope,
} from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import { orgsTable, type OrgRow, type OrgsRepository } from './orgs.repository.ts';

export interface OrgsDeps {
  db: Db;
  orgs: OrgsRepository;
  audit: AuditRepository;
}

const ZNameIdCursor = z.object({ name: z.string(), id: z.string().uuid() });
const LATLNG_BOTH = msg('经纬度须同时填写', 'Give latitude and longitude together');

const orgNotFound = () => notFound({ zh: '阵地不存在', en: 'No such site' });

export function ancestorIds(row: { path: string }): string[] {
  return row.path.split('.').slice(0, -1).map(idFromLabel);
}

export function createOrgsService(deps: OrgsDeps) {
  const { orgs, audit, db } = deps;

  function allowedActions(actor: Actor, row: OrgRow): string[] {
    const manage = inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: row.cityCode, path: row.path });
    if (!manage) return [];
    const actions = ['update', 'createDepartment', 'grantRole'];
    if (childLevelsOf(row.level).length) actions.push('createChild');
    return actions;
  }

  async function present(actor: Actor | null, rows: OrgRow[]): Promise<OrgDto[]> {
    const byCity = new Map<string, Set<string>>();
    for (const r of rows) {
      const set = byCity.get(r.cityCode) ?? new Set();
      for (const a of ancestorIds(r)) set.add(a);
      byCity.set(r.cityCode, set);
    }
    const names = new Map<string, string>();
    for (const [city, ids] of byCity) for (const [id, n] of await orgs.namesByIds(city, [...ids])) names.set(id, n);
    return rows.map((r) => {
      const path = ancestorIds(r);
      return {
        id: r.id,
        cityCode: r.cityCode,
        parentId: r.parentId,
        level: r.level,
        name: r.name,
        regionCode: r.regionCode,
        address: r.address,
        lat: r.lat,
        lng: r.lng,
        pilotLevel: r.pilotLevel ?? null,
        plaqued: r.plaqued,
        plaquedOn: r.plaquedOn ?? null,
        path,
        pathNames: path.map((id) => names.get(id) ?? ''),
        childCount: r.childCount,
        allowedActions: actor ? allowedActions(actor, r) : [],
      };
    });
  }

  /** The topmost orgs of a scope: the roots of its subtrees (for admins, the cities). */
  function rootFilter(scope: Scope) {
    return scope.all ? { level: 'city' as const } : { ids: scope.subtrees.map((s) => idFromLabel(s.path.split('.').pop()!)) };
  }

  async function list(scope: Scope, actor: Actor | null, q: TListOrgsQuery): Promise<Page<OrgDto>> {
    const after = q.cursor ? decodeCursor(q.cursor, ZNameIdCursor) : undefined;
    const base = { scope: scopeCondition(scope, orgsTable.cityCode, orgsTable.path), limit: q.limit + 1, after, level: q.level };
    let filter: Parameters<OrgsRepository['list']>[0];
    if (q.parentId) filter = { ...base, parentId: q.parentId };
    else if (q.q) filter = { ...base, q: q.q };
    else filter = { ...base, ...rootFilter(scope), level: q.level ?? rootFilter(scope).level };
    const rows = await orgs.list(filter);
    const page = rows.slice(0, q.limit);
    // Search results are ranked, not paged by name: one page of the best matches.
    return {
      items: await present(actor, page),
      nextCursor: rows.length > q.limit && !filter.q ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null,
    };
  }

  return {
    present,

    async get(ctx: RequestCtx, id: string): Promise<OrgDto> {
      const actor = requireActor(ctx);
      assertStaff(actor);
      const row = await orgs.byId(id);
      if (!row) throw orgNotFound();
      assertInScope(actor, READ_ROLES, { cityCode: row.cityCode, path: row.path });
      return (await present(actor, [row]))[0]!;
    },

    /** Staff list: children of parentId, a search, or the roots of the caller's scope. */
    async list(ctx: RequestCtx, q: TListOrgsQuery): Promise<Page<OrgDto>> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      if (q.parentId) {
        const parent = await orgs.byId(q.parentId);
        if (!parent) throw orgNotFound();
        assertInScope(actor, READ_ROLES, { cityCode: parent.cityCode, path: parent.path });
      }
      return list(scope, actor, q);
    },

    /** The public directory of sites (every signed-in user: residents choose their station here). */
    async directory(q: TListOrgsQuery): Promise<Page<OrgDto>> {
      return list({ all: true }, null, q);
    },

    async create(ctx: RequestCtx, body: TCreateOrgBody): Promise<OrgDto> {
      const actor = requireActor(ctx);
      let id: string;
      let cityCode: string;
      let path: string;
      let parent: OrgRow | null = null;
      if (body.level === 'city' || !body.parentId) {
        if (body.level !== 'city') throw ruleViolation({ zh: `${ORG_LEVEL_NAMES[body.level].zh}必须有上级阵地`, en: 'Only a city has no parent' });
        if (body.parentId) throw ruleViolation({ zh: '市级阵地不能有上级', en: 'A city has no parent' });
        if (!actor.isAdmin) throw forbidden({ zh: '只有超级管理员可以创建市级阵地', en: 'Only an administrator creates a city' });
        if (!body.regionCode || !/^\d{4}$/.test(body.regionCode))
          throw ruleViolation({ zh: '市级阵地须填写4位城市代码（如 1401）', en: 'A city needs its 4-digit city code (e.g. 1401)' });
        cityCode = body.regionCode;
        id = newCityId(cityCode);
        path = ltreeLabel(id);
      } else {
        parent = await orgs.byId(body.parentId);
        if (!parent) throw orgNotFound();
        assertInScope(actor, MANAGE_ROLES, { cityCode: parent.cityCode, path: parent.path });
        if (!canBeChildOf(body.level, parent.level))
          throw ruleViolation({
            zh: `${ORG_LEVEL_NAMES[parent.level].zh}下不能设立${ORG_LEVEL_NAMES[body.level].zh}`,
            en: `A ${body.level} cannot be placed under a ${parent.level}`,
          });
        cityCode = parent.cityCode;
        id = newCityId(cityCode);
        path = `${parent.path}.${ltreeLabel(id)}`;
      }
      const row = {
        cityCode,
        id,
        parentId: parent?.id ?? null,
        level: body.level,
        name: body.name,
        regionCode: body.regionCode ?? null,
        address: body.address ?? null,
        lat: body.lat ?? null,
        lng: body.lng ?? null,
        path,
      };
      if ((row.lat === null) !== (row.lng === null))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: row.lat === null ? 'lat' : 'lng', message: LATLNG_BOTH }]);
      try {
        await db.transaction(async (tx) => {
          if (body.level === 'city') await orgs.ensureCity(cityCode, body.name, tx);
          await orgs.insert(row, tx);
          await audit.record(ctx, { cityCode, orgPath: path, action: 'org.create', entityType: 'org', entityId: id, after: row }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) {
          const c = pgConstraint(e);
          if (c === 'orgs_region_code_key') throw duplicate({ zh: '该行政区划代码已被其他阵地使用', en: 'Another site already has this region code' });
          if (c === 'orgs_pkey' && body.level === 'city') throw duplicate({ zh: '该城市已存在', en: 'This city already exists' });
          throw duplicate({ zh: '同一上级下已有同名阵地', en: 'A sibling site already has this name' });
        }
        throw e;
      }
      const created = await orgs.byId(id);
      return (await present(actor, [created!]))[0]!;
    },

    async update(ctx: RequestCtx, id: string, patch: TUpdateOrgBody): Promise<OrgDto> {
      const actor = requireActor(ctx);
      const before = await orgs.byId(id);
      if (!before) throw orgNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: before.cityCode, path: before.path });
      const next = { lat: patch.lat === undefined ? before.lat : patch.lat, lng: patch.lng === undefined ? before.lng : patch.lng };
      if ((next.lat === null) !== (next.lng === null))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: next.lat === null ? 'lat' : 'lng', message: LATLNG_BOTH }]);
      // 挂牌: a date only with the plaque up; taking the plaque down clears its date.
      if (patch.plaqued === false) patch = { ...patch, plaquedOn: null };
      if (patch.plaquedOn && !(patch.plaqued ?? before.plaqued))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'plaquedOn', message: '未挂牌的阵地不能填写挂牌日期' }]);
      if ((patch.pilotLevel !== undefined || patch.plaqued !== undefined) && before.level === 'city')
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'pilotLevel', message: '试点和挂牌状态用于实践中心、所、站、点，不用于市级' }]);
      try {
        await db.transaction(async (tx) => {
          await orgs.update(before.cityCode, id, patch, tx);
          await audit.record(
            ctx,
            { cityCode: before.cityCode, orgPath: before.path, action: 'org.update', entityType: 'org', entityId: id, before, after: patch },
            tx,
          );
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '同一上级下已有同名阵地', en: 'A sibling site already has this name' });
        throw e;
      }
      return (await present(actor, [(await orgs.byId(id))!]))[0]!;
    },

    /** For other modules: the org row, asserting the caller may read it in the console. */
    async requireVisible(ctx: RequestCtx, id: string): Promise<OrgRow> {
      const actor = requireActor(ctx);
      const row = await orgs.byId(id);
      if (!row) throw orgNotFound();
      assertInScope(actor, READ_ROLES, { cityCode: row.cityCode, path: row.path });
      return row;
    },

    /** For other modules: the org row, asserting the caller may manage it. */
    async requireManaged(ctx: RequestCtx, id: string): Promise<OrgRow> {
      const actor = requireActor(ctx);
      const row = await orgs.byId(id);
      if (!row) throw orgNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: row.cityCode, path: row.path });
      return row;
    },

    async countByLevel(scope: Scope) {
      return orgs.countByLevel(scopeCondition(scope, orgsTable.cityCode, orgsTable.path));
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;

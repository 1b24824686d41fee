import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZId, ZServiceItemBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { duplicate, notFound, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { assertInScope, assertStaff, isAncestorPath, MANAGE_ROLES, requireActor, scopeCondition } from '../../lib/policy.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { Db } from '../../db/client.ts';
import type { ServiceItemRow, ServiceItemsRepository } from './service-items.repository.ts';

const present = (i: ServiceItemRow) => ({
  id: i.id,
  orgId: i.orgId,
  orgName: i.orgName,
  name: i.name,
  category: i.category,
  description: i.description,
  defaultUrgency: i.defaultUrgency,
  teamIds: i.teamIds,
  status: i.status,
});

/** The service menu (菜篮子): items per site, inherited by the sites below. */
export function serviceItemsRoutes(
  app: FastifyInstance,
  deps: { db: Db; items: ServiceItemsRepository; orgs: OrgsRepository; teams: TeamsRepository; audit: AuditRepository },
) {
  const r = typed(app);
  const common = { tags: ['service-items'], security: SECURED };
  r.get(`${API}/service-items`, {
    schema: { ...common, summary: '服务菜单：某阵地可点的服务（含上级阵地提供的）', querystring: z.object({ orgId: ZId.optional() }) },
    handler: async (req) => {
      const actor = requireActor(req.ctx);
      if (req.query.orgId) {
        const org = await deps.orgs.byId(req.query.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        return (await deps.items.menuFor(org.cityCode, org.path)).map(present);
      }
      const scope = assertStaff(actor);
      return (await deps.items.list(scopeCondition(scope, orgsTable.cityCode, orgsTable.path))).map(present);
    },
  });
  r.post(`${API}/service-items`, {
    schema: { ...common, summary: '新增服务项目', body: ZServiceItemBody },
    handler: async (req, reply) => {
      const actor = requireActor(req.ctx);
      const org = await deps.orgs.byId(req.body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      for (const t of req.body.teamIds ?? []) {
        const team = await deps.teams.byId(t);
        if (!team || team.cityCode !== org.cityCode) throw notFound({ zh: '提供服务的队伍不存在', en: 'No such team' });
        // Issue 15: the site's own teams, or those of a site above or below it; never another district's.
        if (!isAncestorPath(team.orgPath, org.path) && !isAncestorPath(org.path, team.orgPath))
          throw ruleViolation({ zh: '只能选择本阵地、上级或下级阵地的队伍', en: 'The team must belong to this site, a site above it or one below it' });
      }
      const id = newId();
      await deps.db.transaction(async (tx) => {
        const ok = await deps.items.insert(
          {
            cityCode: org.cityCode,
            id,
            orgId: org.id,
            name: req.body.name,
            category: req.body.category,
            description: req.body.description ?? null,
            defaultUrgency: req.body.defaultUrgency ?? 'normal',
            teamIds: req.body.teamIds ?? [],
          },
          tx,
        );
        if (!ok) throw duplicate({ zh: '该阵地已有同名服务项目', en: 'This site already has an item of that name' });
        await deps.audit.record(
          req.ctx,
          { cityCode: org.cityCode, action: 'serviceItem.create', entityType: 'service_item', entityId: id, after: req.body },
          tx,
        );
      });
      return reply.status(201).send(present((await deps.items.byId(id))!));
    },
  });
  r.post(`${API}/service-items/:id/retire`, {
    schema: { ...common, summary: '下架服务项目', params: ZIdParams },
    handler: async (req) => {
      const actor = requireActor(req.ctx);
      const item = await deps.items.byId(req.params.id);
      if (!item) throw notFound({ zh: '服务项目不存在', en: 'No such service item' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: item.cityCode, path: item.orgPath });
      await deps.db.transaction(async (tx) => {
        await deps.items.setStatus(item.cityCode, item.id, 'retired', tx);
        await deps.audit.record(req.ctx, { cityCode: item.cityCode, action: 'serviceItem.retire', entityType: 'service_item', entityId: item.id }, tx);
      });
      return present((await deps.items.byId(item.id))!);
    },
  });
}

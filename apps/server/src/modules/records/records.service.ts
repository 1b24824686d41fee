import { z } from 'zod';
import type { Page, ServiceRecordDto, TCreateRecordBody } from '@wenming/contracts';
import { checkClaimedHours, starLevel } from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { forbidden, invalidState, notFound, pgCode, PG, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { assertInScope, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import { createPointsEarning, type PointsEarning, type PointsRepository } from '../points/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository, VolunteersService } from '../volunteers/index.ts';
import type { RecordRow, RecordsRepository } from './records.repository.ts';

const ZCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
const recordNotFound = () => notFound({ zh: '服务记录不存在', en: 'No such service record' });

export interface RecordsDeps {
  db: Db;
  records: RecordsRepository;
  volunteers: VolunteersRepository;
  volunteersService: VolunteersService;
  teams: TeamsRepository;
  orgs: OrgsRepository;
  points: PointsRepository;
  audit: AuditRepository;
  /** The earning rules (default: built on `points`). */
  earning?: PointsEarning;
}

/** The hours ledger (志愿服务记录): pending → verified | rejected; verified → revoked (reversal). */
export function createRecordsService(deps: RecordsDeps) {
  const { db, records, volunteers, teams, orgs, points, audit } = deps;
  const earning = deps.earning ?? createPointsEarning({ points });

  /** Staff of the organising site's subtree, or the leader of the record's team, decide on it. */
  async function mayDecide(actor: Actor, r: RecordRow): Promise<boolean> {
    if (inScope(scopeOf(actor, READ_ROLES), { cityCode: r.cityCode, path: r.orgPath })) return true;
    if (r.teamId) {
      const team = await teams.byId(r.teamId);
      if (team?.leaderUserId === actor.userId) return true;
    }
    return false;
  }

  /** The claim against the time the platform saw: start → completion (check-in → check-out), and the activity's times. */
  const plausibility = (r: RecordRow) => checkClaimedHours({ claimed: r.hours, startedAt: r.startedAt, endedAt: r.endedAt, window: r.activity });

  async function present(actor: Actor, r: RecordRow): Promise<ServiceRecordDto> {
    const decide = await mayDecide(actor, r);
    const actions: string[] = [];
    const check = plausibility(r);
    if (decide && r.status === 'pending' && !(r.sourceType === 'manual' && r.createdBy === actor.userId))
      actions.push(...(check.verdict === 'implausible' ? ['verify_override', 'reject'] : ['verify', 'reject']));
    if (decide && r.status === 'verified' && inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath })) actions.push('revoke');
    return {
      id: r.id,
      volunteerId: r.volunteerId,
      volunteerName: r.volunteerName,
      orgId: r.orgId,
      orgName: r.orgName,
      teamId: r.teamId,
      source: r.sourceType,
      sourceId: r.sourceId,
      title: r.title,
      hours: r.hours,
      startedAt: r.startedAt ? toIso(r.startedAt) : null,
      endedAt: r.endedAt ? toIso(r.endedAt) : null,
      status: r.status,
      note: r.note,
      decisionNote: r.decisionNote,
      createdAt: toIso(r.createdAt),
      allowedActions: actions,
      plausibility: { verdict: check.verdict, observedHours: check.observedHours, maxHours: check.maxHours, reason: check.reason },
      overrideReason: r.overrideReason,
    };
  }

  async function loadForDecision(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const r = await records.byId(id);
    if (!r) throw recordNotFound();
    if (!(await mayDecide(actor, r))) throw forbidden({ zh: '无权审核该服务记录', en: 'You may not decide on this record' });
    return { actor, r };
  }

  return {
    present,

    /** Creates a pending record for a volunteer from a source (order, activity, pairing); once per source. */
    async createPending(
      tx: Executor,
      row: {
        cityCode: string;
        volunteerId: string;
        orgId: string;
        teamId?: string | null;
        sourceType: 'order' | 'activity' | 'pairing';
        sourceId: string;
        hours: number;
        startedAt?: Date | null;
        endedAt?: Date | null;
        title?: string | null;
        note?: string | null;
        createdBy?: string | null;
      },
    ) {
      return records.insert({ id: newId(), teamId: null, startedAt: null, endedAt: null, title: null, note: null, createdBy: null, ...row }, tx);
    },

    /** A manual record (e.g. service outside the platform) with evidence; another staff member must verify it. */
    async createManual(ctx: RequestCtx, body: TCreateRecordBody): Promise<ServiceRecordDto> {
      const actor = requireActor(ctx);
      const org = await orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      const v = await volunteers.byId(body.volunteerId);
      if (!v || v.cityCode !== org.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
      // Issue 15: only the caller's own volunteers (reported in within their subtree); another
      // district's volunteer has their hours recorded by their own district.
      if (!inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: v.cityCode, path: v.orgPath }))
        throw forbidden({ zh: '该志愿者不在您的管辖范围内', en: 'This volunteer is outside your scope' });
      const id = newId();
      await db.transaction(async (tx) => {
        await records.insert(
          {
            cityCode: org.cityCode,
            id,
            volunteerId: v.id,
            orgId: org.id,
            teamId: null,
            sourceType: 'manual',
            sourceId: newId(),
            hours: Math.round(body.hours * 10) / 10,
            startedAt: new Date(body.startedAt),
            endedAt: new Date(body.endedAt),
            title: body.title,
            note: body.note ?? null,
            createdBy: actor.userId,
          },
          tx,
        );
        await audit.record(ctx, { cityCode: org.cityCode, action: 'record.create', entityType: 'service_record', entityId: id, after: body }, tx);
      });
      return present(actor, (await records.byId(id))!);
    },

    /**
     * Verify: credits hours and points exactly once (conditional update + unique ledger key). A claim
     * beyond the time the platform saw (hours plausibility) needs `overrideReason`: it is kept on the
     * record and audited with the evidence.
     */
    async verify(ctx: RequestCtx, id: string, note: string | null, overrideReason?: string): Promise<ServiceRecordDto> {
      const { actor, r } = await loadForDecision(ctx, id);
      if (r.sourceType === 'manual' && r.createdBy === actor.userId)
        throw forbidden({ zh: '手工录入的记录须由另一位工作人员审核', en: 'A manual record needs a second person to verify it' });
      const check = plausibility(r);
      const override = check.verdict === 'implausible' ? overrideReason : undefined;
      if (check.verdict === 'implausible' && !override)
        throw ruleViolation({
          zh: `服务时长存疑：${check.reason}（最多 ${check.maxHours} 小时）。请核实后驳回，或填写核定理由后通过`,
          en: `Implausible hours: ${check.claimed} claimed, at most ${check.maxHours} observed; give an override reason to verify`,
        });
      await db.transaction(async (tx) => {
        const updated = await records.transition(r.cityCode, r.id, 'pending', 'verified', actor.userId, note, tx, override);
        if (!updated) throw invalidState({ zh: '该记录已处理，不能重复审核', en: 'The record was already decided' });
        await volunteers.addHours(r.cityCode, r.volunteerId, r.hours, tx);
        // Points for the hours, and per attended activity / pairing visit (the site's earning rules).
        const pts = await earning.onRecordVerified(tx, r);
        await audit.record(
          ctx,
          {
            cityCode: r.cityCode,
            action: 'record.verify',
            entityType: 'service_record',
            entityId: r.id,
            before: { status: 'pending' },
            after: { status: 'verified', hours: r.hours, points: pts },
          },
          tx,
        );
        if (override)
          await audit.record(
            ctx,
            {
              cityCode: r.cityCode,
              action: 'record.verify_override',
              entityType: 'service_record',
              entityId: r.id,
              after: { hours: r.hours, observedHours: check.observedHours, maxHours: check.maxHours, evidence: check.reason, reason: override },
            },
            tx,
          );
      });
      return present(actor, (await records.byId(id))!);
    },

    async reject(ctx: RequestCtx, id: string, reason: string): Promise<ServiceRecordDto> {
      const { actor, r } = await loadForDecision(ctx, id);
      await db.transaction(async (tx) => {
        const updated = await records.transition(r.cityCode, r.id, 'pending', 'rejected', actor.userId, reason, tx);
        if (!updated) throw invalidState({ zh: '该记录已处理', en: 'The record was already decided' });
        await audit.record(
          ctx,
          { cityCode: r.cityCode, action: 'record.reject', entityType: 'service_record', entityId: r.id, after: { status: 'rejected', reason } },
          tx,
        );
      });
      return present(actor, (await records.byId(id))!);
    },

    /** Revoke a verified record by reversal: hours and the points it earned are taken back. */
    async revoke(ctx: RequestCtx, id: string, reason: string): Promise<ServiceRecordDto> {
      const actor = requireActor(ctx);
      const r = await records.byId(id);
      if (!r) throw recordNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: r.cityCode, path: r.orgPath });
      try {
        await db.transaction(async (tx) => {
          const updated = await records.transition(r.cityCode, r.id, 'verified', 'revoked', actor.userId, reason, tx);
          if (!updated) throw invalidState({ zh: '只有已审核的记录可以撤销', en: 'Only verified records can be revoked' });
          await volunteers.addHours(r.cityCode, r.volunteerId, -r.hours, tx);
          // Reversal rows of exactly what the record credited.
          await earning.onRecordRevoked(tx, r, reason);
          await audit.record(
            ctx,
            { cityCode: r.cityCode, action: 'record.revoke', entityType: 'service_record', entityId: r.id, after: { status: 'revoked', reason } },
            tx,
          );
        });
      } catch (e) {
        if (pgCode(e) === PG.checkViolation)
          throw ruleViolation({ zh: '该记录所得积分已被使用，无法撤销', en: 'The points this record earned were spent; it cannot be revoked' });
        throw e;
      }
      return present(actor, (await records.byId(id))!);
    },

    /** A volunteer's records (API.md): the volunteer, staff of the subtree, leaders of their teams. */
    async ofVolunteer(ctx: RequestCtx, volunteerId: string, q: { limit: number; cursor?: string; status?: RecordRow['status'] }) {
      const { actor, v } = await deps.volunteersService.load(ctx, volunteerId);
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await records.list({
        volunteerId: v.id,
        status: q.status,
        before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const r of page) items.push(await present(actor, r));
      return {
        totalHours: v.totalHours,
        star: starLevel(v.totalHours),
        items,
        nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null,
      };
    },

    /** The verification queue: records in the caller's subtree and of the teams they lead. */
    async list(ctx: RequestCtx, q: { limit: number; cursor?: string; status?: RecordRow['status'] }): Promise<Page<ServiceRecordDto>> {
      const actor = requireActor(ctx);
      const scope = scopeOf(actor, READ_ROLES);
      const led = (await teams.ledBy(actor.userId, actor.cityCodes)).map((t) => t.id);
      const isStaff = scope.all || scope.subtrees.length > 0;
      if (!isStaff && led.length === 0) throw forbidden({ zh: '仅限工作人员和队长使用', en: 'Staff and team leaders only' });
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await records.list({
        scope: isStaff ? scopeCondition(scope, orgsTable.cityCode, orgsTable.path) : undefined,
        teamIds: led,
        status: q.status,
        before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const r of page) items.push(await present(actor, r));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null };
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;

import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { msg, refineActivity, type TCreateActivityBody, type TUpdateActivityBody } from '@wenming/contracts';
import { attendanceHours, checkinWindow, checkoutWindow, distanceMeters, nextActivityState, type ActivityEvent } from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';
import { AppError, duplicate, forbidden, invalidState, notFound, pgCode, PG, ruleViolation, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, phoneAsSeenBy, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { ActivitiesRepository, ActivityRow, SignupRow } from './activities.repository.ts';
import type { CheckinCodes } from './checkin-codes.ts';
import { signupsWorkbook, type SignupExportRow } from './activities-export.ts';
import type { UploadsRepository } from '../uploads/index.ts';

const ZCursor = z.object({ startsAt: z.string(), id: z.string().uuid() });
const activityNotFound = () => notFound({ zh: '活动不存在', en: 'No such activity' });

export interface ActivitiesDeps {
  db: Db;
  activities: ActivitiesRepository;
  orgs: OrgsRepository;
  teams: TeamsRepository;
  volunteers: VolunteersRepository;
  records: RecordsService;
  notifications: NotificationsRepository;
  catalogues: ReturnType<typeof createCataloguesRepository>;
  audit: AuditRepository;
  codes: CheckinCodes;
  /** To check that pictures exist. */
  uploads: UploadsRepository;
  clock?: () => Date;
}

/** The average rating to one decimal, from the count and sum kept on the activity. */
function ratingAverage(a: { ratingCount: number; ratingSum: number }): number | null {
  return a.ratingCount ? Math.round((a.ratingSum / a.ratingCount) * 10) / 10 : null;
}

export function createActivitiesService(deps: ActivitiesDeps) {
  const { db, activities } = deps;
  const now = deps.clock ?? (() => new Date());

  async function isOrganizer(actor: Actor, a: ActivityRow): Promise<boolean> {
    if (inScope(scopeOf(actor, READ_ROLES), { cityCode: a.cityCode, path: a.orgPath })) return true;
    if (a.createdBy === actor.userId) return true;
    if (a.teamId) return (await deps.teams.byId(a.teamId))?.leaderUserId === actor.userId;
    return false;
  }

  async function present(actor: Actor, a: ActivityRow, opts: { organizer?: boolean; signup?: SignupRow | null } = {}) {
    const organizer = opts.organizer ?? (await isOrganizer(actor, a));
    const signup = opts.signup === undefined ? await activities.signupOf(a.id, actor.userId) : opts.signup;
    const t = now();
    const actions: string[] = [];
    if (organizer) {
      if (nextActivityState(a.state, 'publish')) actions.push('publish');
      if (nextActivityState(a.state, 'cancel')) actions.push('cancel');
      if (nextActivityState(a.state, 'finish') && t >= a.startsAt) actions.push('finish');
      if (a.state === 'published') actions.push('checkinCode', 'attendance');
      if (a.state === 'draft') actions.push('edit');
      if (a.state === 'finished') actions.push('report');
    }
    if (a.state === 'published') {
      if (!signup && t < a.signupDeadline) actions.push('signup');
      if (signup && t < a.startsAt) actions.push('withdraw');
      if (signup?.status === 'registered') {
        const ci = checkinWindow(a.startsAt, a.endsAt);
        const co = checkoutWindow(a.startsAt, a.endsAt);
        if (!signup.checkinAt && t >= ci.from && t <= ci.to) actions.push('checkin');
        if (signup.checkinAt && !signup.checkoutAt && t <= co.to) actions.push('checkout');
      }
    }
    const myRating = a.state === 'finished' ? await activities.ratingOf(a.cityCode, a.id, actor.userId) : null;
    if (a.state === 'finished' && !myRating && (await activities.attended(a.cityCode, a.id, actor.userId))) actions.push('rate');
    let mySignup = null;
    if (signup) {
      mySignup = {
        id: signup.id,
        role: signup.role,
        status: signup.status,
        position: signup.status === 'waitlisted' ? await activities.waitlistPosition(a.cityCode, a.id, signup.role, signup.seq!) : null,
        checkinAt: signup.checkinAt ? toIso(signup.checkinAt) : null,
        checkoutAt: signup.checkoutAt ? toIso(signup.checkoutAt) : null,
      };
    }
    return {
      id: a.id,
      orgId: a.orgId,
      orgName: a.orgName,
      teamId: a.teamId,
      resourceId: a.resourceId,
      title: a.title,
      category: a.category,
      description: a.description,
      address: a.address,
      lat: a.lat,
      lng: a.lng,
      geofenceM: a.geofenceM,
      startsAt: toIso(a.startsAt),
      endsAt: toIso(a.endsAt),
      signupDeadline: toIso(a.signupDeadline),
      volunteerQuota: a.volunteerQuota,
      publicQuota: a.publicQuota,
      volunteerRegistered: a.volunteerRegistered,
      publicRegistered: a.publicRegistered,
      partyOnly: a.partyOnly,
      teamOnly: a.teamOnly,
      adultsOnly: a.adultsOnly,
      requiredSkills: a.requiredSkills,
      state: a.state,
      summary: a.summary,
      createdAt: toIso(a.createdAt),
      photoIds: a.photoIds,
      seriesId: a.seriesId,
      report: a.reportPublishedAt ? { summary: a.summary ?? '', photoIds: a.reportPhotoIds, publishedAt: toIso(a.reportPublishedAt) } : null,
      rating: {
        count: a.ratingCount,
        average: ratingAverage(a),
        mine: myRating ? { score: myRating.score, comment: myRating.comment } : null,
      },
      mySignup,
      allowedActions: actions,
    };
  }

  async function checkPhotos(ids: string[] | undefined, path = 'photoIds') {
    for (const id of ids ?? [])
      if (!(await deps.uploads.byId(id))) throw validationFailed(path, { zh: '图片不存在，请重新上传', en: 'No such picture; upload it again' });
  }

  async function load(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const a = await activities.byId(id);
    if (!a) throw activityNotFound();
    const organizer = await isOrganizer(actor, a);
    if (a.state === 'draft' && !organizer) throw activityNotFound();
    return { actor, a, organizer };
  }

  async function loadAsOrganizer(ctx: RequestCtx, id: string) {
    const l = await load(ctx, id);
    if (!l.organizer) throw forbidden({ zh: '只有活动组织者可以操作', en: 'Only the organiser may do this' });
    return l;
  }

  async function notify(tx: Executor, a: ActivityRow, userIds: string[], kind: string, title: string, body?: string) {
    await deps.notifications.add(tx, { userIds, cityCode: a.cityCode, kind, title, body, refType: 'activity', refId: a.id });
  }

  async function move(ctx: RequestCtx, id: string, event: ActivityEvent, patch: Record<string, unknown>, then?: (tx: Executor, a: ActivityRow) => Promise<void>) {
    const { actor, a } = await loadAsOrganizer(ctx, id);
    const to = nextActivityState(a.state, event);
    if (!to) throw invalidState({ zh: '活动当前状态不允许此操作', en: `Cannot ${event} an activity that is ${a.state}` });
    await db.transaction(async (tx) => {
      const updated = await activities.transition(tx, a.cityCode, a.id, a.state, to, patch);
      if (!updated) throw invalidState({ zh: '活动状态已变化，请刷新', en: 'The activity changed meanwhile' });
      await deps.audit.record(ctx, { cityCode: a.cityCode, action: `activity.${event}`, entityType: 'activity', entityId: a.id, before: { state: a.state }, after: { state: to } }, tx);
      await then?.(tx, a);
    });
    return present(actor, (await activities.byId(id))!);
  }

  return {
    async create(ctx: RequestCtx, body: TCreateActivityBody) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      let allowed = inScope(scopeOf(actor, READ_ROLES), { cityCode: org.cityCode, path: org.path });
      if (body.teamId) {
        const team = await deps.teams.byId(body.teamId);
        if (!team || team.cityCode !== org.cityCode) throw notFound({ zh: '队伍不存在', en: 'No such team' });
        if (team.leaderUserId === actor.userId && (org.path === team.orgPath || org.path.startsWith(`${team.orgPath}.`))) allowed = true;
      }
      if (!allowed) throw forbidden({ zh: '只有工作人员或队长可以发布活动', en: 'Only staff or a team leader create activities' });
      const known = new Set((await deps.catalogues.categories()).map((c) => c.code));
      for (const [path, code] of [['category', body.category], ...(body.requiredSkills ?? []).map((s) => ['requiredSkills', s] as const)] as const)
        if (!known.has(code)) throw new AppError('VALIDATION_FAILED', undefined, [{ path, message: msg('无效的服务类别', 'Invalid category code') }]);
      await checkPhotos(body.photoIds);
      const id = newId();
      const WEEK = 7 * 24 * 3600_000;
      const occurrences = body.repeatWeeks ?? 1;
      const ids = [id, ...Array.from({ length: occurrences - 1 }, () => newId())];
      await db.transaction(async (tx) => {
        for (let k = 0; k < occurrences; k++) {
        const shift = k * WEEK;
        const startsAt = new Date(Date.parse(body.startsAt) + shift);
        await activities.insert(
          {
            cityCode: org.cityCode,
            id: ids[k]!,
            seriesId: occurrences > 1 ? id : null,
            photoIds: body.photoIds ?? [],
            orgId: org.id,
            teamId: body.teamId ?? null,
            resourceId: body.resourceId ?? null,
            title: body.title,
            category: body.category,
            description: body.description ?? null,
            address: body.address ?? org.address,
            lat: body.lat ?? org.lat,
            lng: body.lng ?? org.lng,
            geofenceM: body.geofenceM ?? null,
            startsAt,
            endsAt: new Date(Date.parse(body.endsAt) + shift),
            signupDeadline: body.signupDeadline ? new Date(Date.parse(body.signupDeadline) + shift) : startsAt,
            volunteerQuota: body.volunteerQuota,
            publicQuota: body.publicQuota ?? 0,
            partyOnly: body.partyOnly ?? false,
            teamOnly: body.teamOnly ?? false,
            adultsOnly: body.adultsOnly ?? false,
            requiredSkills: body.requiredSkills ?? [],
            createdBy: actor.userId,
          },
          tx,
        );
        }
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'activity.create', entityType: 'activity', entityId: id, after: { ...body, occurrenceIds: ids } }, tx);
      });
      return { ...(await present(actor, (await activities.byId(id))!, { organizer: true, signup: null })), occurrenceIds: ids };
    },

    /** PATCH a draft: the merged activity must pass the same checks as a new one. */
    async update(ctx: RequestCtx, id: string, patch: TUpdateActivityBody) {
      const { actor, a } = await loadAsOrganizer(ctx, id);
      if (a.state !== 'draft') throw invalidState({ zh: '只有草稿可以修改', en: 'Only drafts can be edited' });
      const pick = <K extends keyof TUpdateActivityBody>(k: K, cur: unknown) => (patch[k] === undefined ? cur : patch[k]);
      const merged = {
        startsAt: (pick('startsAt', toIso(a.startsAt)) as string),
        endsAt: (pick('endsAt', toIso(a.endsAt)) as string),
        // A deadline that was the start (not set apart from it) moves with the start.
        signupDeadline: (patch.signupDeadline === undefined && a.signupDeadline.getTime() === a.startsAt.getTime() ? null : pick('signupDeadline', toIso(a.signupDeadline))) as string | null,
        lat: pick('lat', a.lat) as number | null,
        lng: pick('lng', a.lng) as number | null,
        geofenceM: pick('geofenceM', a.geofenceM) as number | null,
        teamOnly: pick('teamOnly', a.teamOnly) as boolean,
        teamId: a.teamId,
      };
      // The merged draft must pass the same checks as a new activity (ZCreateActivityBody's refinement).
      const problems = z.unknown().superRefine((_, c) => refineActivity(merged, c)).safeParse(null);
      if (!problems.success) throw new AppError('VALIDATION_FAILED', undefined, problems.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      if (patch.category || patch.requiredSkills) {
        const known = new Set((await deps.catalogues.categories()).map((c) => c.code));
        for (const [path, code] of [['category', patch.category], ...(patch.requiredSkills ?? []).map((x) => ['requiredSkills', x] as const)] as const)
          if (code && !known.has(code)) throw new AppError('VALIDATION_FAILED', undefined, [{ path, message: msg('无效的服务类别', 'Invalid category code') }]);
      }
      await checkPhotos(patch.photoIds);
      const startsAt = new Date(merged.startsAt);
      const set: Record<string, unknown> = {};
      for (const k of ['title', 'category', 'volunteerQuota', 'publicQuota', 'description', 'address', 'lat', 'lng', 'geofenceM', 'partyOnly', 'teamOnly', 'adultsOnly', 'requiredSkills', 'photoIds'] as const)
        if (patch[k] !== undefined) set[k] = patch[k];
      if (patch.startsAt) set.startsAt = startsAt;
      if (patch.endsAt) set.endsAt = new Date(patch.endsAt);
      // The deadline follows the start when it was not set apart from it.
      if (patch.signupDeadline !== undefined || patch.startsAt) set.signupDeadline = merged.signupDeadline ? new Date(merged.signupDeadline) : startsAt;
      await db.transaction(async (tx) => {
        const ok = await activities.updateDraft(tx, a.cityCode, a.id, set);
        if (!ok) throw invalidState({ zh: '只有草稿可以修改', en: 'Only drafts can be edited' });
        await deps.audit.record(ctx, { cityCode: a.cityCode, action: 'activity.update', entityType: 'activity', entityId: a.id, before: { title: a.title, startsAt: a.startsAt }, after: patch }, tx);
      });
      return present(actor, (await activities.byId(id))!, { organizer: true });
    },

    /** Participants who checked in rate a finished activity once (1–5 and a comment). */
    async rate(ctx: RequestCtx, id: string, body: { score: number; comment?: string }) {
      const { actor, a } = await load(ctx, id);
      if (a.state !== 'finished') throw invalidState({ zh: '活动结束后才能评价', en: 'Rate a finished activity' });
      if (!(await activities.attended(a.cityCode, a.id, actor.userId))) throw forbidden({ zh: '只有签到参加的人可以评价', en: 'Only participants who checked in may rate' });
      const ok = await db.transaction((tx) => activities.rate(tx, { cityCode: a.cityCode, activityId: a.id, userId: actor.userId, score: body.score, comment: body.comment || null }));
      if (!ok) throw duplicate({ zh: '您已评价过该活动', en: 'You have rated this activity' });
      const b = (await activities.byId(id))!;
      return { score: body.score, count: b.ratingCount, average: ratingAverage(b) };
    },

    async ratings(ctx: RequestCtx, id: string) {
      const { a } = await load(ctx, id);
      const rows = await activities.ratings(a.cityCode, a.id);
      // Names are shown as 张*英 to the public page's readers.
      return rows.map(({ r, name }) => ({ score: r.score, comment: r.comment, name: name ? `${name[0]}${'*'.repeat(Math.max(1, name.length - 1))}` : '匿名', at: toIso(r.createdAt) }));
    },

    /** 宣传展示: the organiser publishes (or updates) the report of a finished activity. */
    async report(ctx: RequestCtx, id: string, body: { summary: string; photoIds?: string[] }) {
      const { actor, a } = await loadAsOrganizer(ctx, id);
      if (a.state !== 'finished') throw invalidState({ zh: '活动结束后才能发布活动报道', en: 'Report on a finished activity' });
      await checkPhotos(body.photoIds);
      await db.transaction(async (tx) => {
        const ok = await activities.transition(tx, a.cityCode, a.id, 'finished', 'finished', { summary: body.summary, reportPhotoIds: body.photoIds ?? [], reportPublishedAt: now() });
        if (!ok) throw invalidState({ zh: '活动状态已变化，请刷新', en: 'The activity changed meanwhile' });
        await deps.audit.record(ctx, { cityCode: a.cityCode, action: 'activity.report', entityType: 'activity', entityId: a.id, after: body }, tx);
      });
      return present(actor, (await activities.byId(id))!, { organizer: true });
    },

    /** The day-before reminder to everyone registered; each activity once, however many runners. */
    async remindUpcoming(horizonMs = 24 * 3600_000) {
      let sent = 0;
      for (;;) {
        const batch = await db.transaction(async (tx) => {
          const rows = await activities.claimReminders(tx, now(), horizonMs);
          for (const r of rows) {
            if (!r.user_ids.length) continue;
            const at = new Intl.DateTimeFormat('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date(r.starts_at));
            await deps.notifications.add(tx, { userIds: r.user_ids, cityCode: r.city_code, kind: 'activity.reminder', title: `活动提醒：「${r.title}」将于 ${at} 开始`, body: r.address ? `地点：${r.address}。请准时参加，到场后扫码签到。` : '请准时参加，到场后扫码签到。', refType: 'activity', refId: r.id });
            sent += r.user_ids.length;
          }
          return rows.length;
        });
        if (batch < 100) return sent;
      }
    },

    get: async (ctx: RequestCtx, id: string) => {
      const { actor, a, organizer } = await load(ctx, id);
      return present(actor, a, { organizer });
    },

    /** Published (and finished) activities for everybody; staff also see drafts and cancelled ones in their subtree. */
    async list(ctx: RequestCtx, q: { orgId?: string; from?: string; to?: string; category?: string; q?: string; state?: 'draft' | 'published' | 'cancelled' | 'finished'; mine?: string; organized?: string; report?: string; seriesId?: string; limit: number; cursor?: string }) {
      const actor = requireActor(ctx);
      const staffScope = scopeOf(actor, READ_ROLES);
      const staffCond = scopeCondition(staffScope, sql`orgs.city_code`, sql`orgs.path`);
      // What the caller organises (the same people as isOrganizer): staff of the subtree, the creator, the team's leader.
      const led = (await deps.teams.ledBy(actor.userId)).map((t) => t.id);
      const ledCond = led.length ? sql`activities.team_id IN (${sql.join(led.map((id) => sql`${id}`), sql`, `)})` : sql`FALSE`;
      const organizes = sql`(${staffCond} OR activities.created_by = ${actor.userId} OR ${ledCond})`;
      const visible = q.organized === 'true' ? organizes : sql`(activities.state IN ('published', 'finished') OR ${organizes})`;
      let orgPath: string | undefined;
      if (q.orgId) {
        const org = await deps.orgs.byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        orgPath = org.path;
      }
      const after = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await activities.list({
        scope: sql`TRUE`,
        visibleStates: visible,
        orgPath,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        category: q.category,
        q: q.q,
        state: q.state,
        ids: q.mine === 'true' ? await activities.myActivityIds(actor.userId) : undefined,
        report: q.report === 'true',
        seriesId: q.seriesId,
        after: after ? { startsAt: new Date(after.startsAt), id: after.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const a of page) items.push(await present(actor, a));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ startsAt: page.at(-1)!.startsAt.toISOString(), id: page.at(-1)!.id }) : null };
    },

    /** Publish; with `series`, every draft occurrence of the weekly series too (each its own conditional update). */
    async publish(ctx: RequestCtx, id: string, body: { series?: boolean } = {}) {
      const first = await move(ctx, id, 'publish', { publishedAt: now() });
      if (body.series && first.seriesId) {
        const a = (await activities.byId(id))!;
        for (const d of await activities.seriesDrafts(a.cityCode, first.seriesId)) await move(ctx, d.id, 'publish', { publishedAt: now() });
      }
      return first;
    },

    cancel: (ctx: RequestCtx, id: string) =>
      move(ctx, id, 'cancel', { cancelledAt: now() }, async (tx, a) => {
        const people = (await activities.signups(a.cityCode, a.id, tx)).filter((s) => s.s.status !== 'withdrawn').map((s) => s.s.userId);
        await notify(tx, a, people, 'activity.cancelled', `活动「${a.title}」已取消`, '很抱歉，活动因故取消。');
      }),

    /**
     * Finish: one pending service record per volunteer who checked in and out, hours from
     * attendance (below 60 % only with the organiser's override and reason).
     */
    async finish(ctx: RequestCtx, id: string, body: { summary?: string; overrides?: { signupId: string; reason: string }[] }) {
      const { a } = await loadAsOrganizer(ctx, id);
      if (now() < a.startsAt) throw ruleViolation({ zh: '活动尚未开始，不能结束', en: 'The activity has not started' });
      const overrides = new Map((body.overrides ?? []).map((o) => [o.signupId, o.reason]));
      let created = 0;
      const result = await move(ctx, id, 'finish', { finishedAt: now(), summary: body.summary ?? null }, async (tx, act) => {
        for (const { s } of await activities.signups(act.cityCode, act.id, tx)) {
          if (s.role !== 'volunteer' || s.status !== 'registered' || !s.checkinAt || !s.checkoutAt || !s.volunteerId) continue;
          const h = attendanceHours(s.checkinAt, s.checkoutAt, act.startsAt, act.endsAt);
          const override = overrides.get(s.id);
          if (!(h.eligible || (override && h.hours > 0))) continue;
          const ok = await deps.records.createPending(tx, {
            cityCode: act.cityCode,
            volunteerId: s.volunteerId,
            orgId: act.orgId,
            teamId: act.teamId,
            sourceType: 'activity',
            sourceId: act.id,
            hours: h.hours,
            startedAt: s.checkinAt,
            endedAt: s.checkoutAt,
            title: act.title,
            note: override && !h.eligible ? `出勤 ${Math.round(h.share * 100)}%，组织者确认：${override}` : null,
            createdBy: ctx.actor?.userId ?? null,
          });
          if (ok) created++;
        }
      });
      return { ...result, recordsCreated: created };
    },

    async signup(ctx: RequestCtx, id: string, role: 'volunteer' | 'resident') {
      const { actor, a } = await load(ctx, id);
      let volunteerId: string | null = null;
      if (role === 'volunteer') {
        const v = (await deps.volunteers.byUserId(actor.userId)).find((x) => x.cityCode === a.cityCode);
        if (!v || v.status !== 'active') throw ruleViolation({ zh: '请先完成志愿者报到（或您的志愿者身份已暂停）', en: 'Register as an active volunteer first' });
        if (a.partyOnly && v.politicalStatus !== 'party') throw ruleViolation({ zh: '本活动仅限党员志愿者报名', en: 'Party members only' });
        if (a.adultsOnly && v.birthYear && now().getFullYear() - v.birthYear < 18) throw ruleViolation({ zh: '本活动仅限年满18周岁的志愿者', en: 'Adults only' });
        if (a.teamOnly && a.teamId && !(await deps.teams.isMember(a.cityCode, a.teamId, v.id))) throw ruleViolation({ zh: '本活动仅限本队队员报名', en: 'Team members only' });
        if (a.requiredSkills.length && !a.requiredSkills.some((s) => v.skills.includes(s))) throw ruleViolation({ zh: '您的技能与本活动要求不符', en: 'Your skills do not match' });
        volunteerId = v.id;
      } else if (a.publicQuota === 0) {
        throw ruleViolation({ zh: '本活动不面向群众报名', en: 'This activity takes no resident sign-ups' });
      }
      let signup: SignupRow;
      try {
        signup = await db.transaction(async (tx) => {
          const locked = await activities.lock(tx, a.cityCode, a.id);
          if (!locked || locked.state !== 'published') throw invalidState({ zh: '活动不在报名中', en: 'The activity is not open for sign-up' });
          if (now() > a.signupDeadline) throw ruleViolation({ zh: '报名已截止', en: 'Sign-up has closed' });
          const registered = await activities.takePlace(tx, a.cityCode, a.id, role);
          const s = await activities.insertSignup(tx, { cityCode: a.cityCode, id: newId(), activityId: a.id, userId: actor.userId, volunteerId, role, status: registered ? 'registered' : 'waitlisted' });
          await notify(tx, a, [actor.userId], 'activity.signup', registered ? `报名成功：${a.title}` : `已进入候补：${a.title}`);
          return s;
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '您已报名该活动', en: 'You have already signed up' });
        throw e;
      }
      return {
        id: signup.id,
        status: signup.status as 'registered' | 'waitlisted',
        role,
        position: signup.status === 'waitlisted' ? await activities.waitlistPosition(a.cityCode, a.id, role, signup.seq!) : null,
      };
    },

    /** Withdraw; the first waitlisted person of the same role takes the place, in the same transaction. */
    async withdraw(ctx: RequestCtx, id: string) {
      const { actor, a } = await load(ctx, id);
      await db.transaction(async (tx) => {
        const locked = await activities.lock(tx, a.cityCode, a.id);
        if (!locked || locked.state !== 'published') throw invalidState({ zh: '活动已结束或取消，不能取消报名', en: 'The activity is closed' });
        const mine = await activities.signupOf(a.id, actor.userId, tx);
        if (!mine) throw notFound({ zh: '您没有报名该活动', en: 'You have not signed up' });
        const w = await activities.withdraw(tx, a.cityCode, mine.id);
        if (!w) throw notFound({ zh: '您没有报名该活动', en: 'You have not signed up' });
        if (mine.status === 'registered') {
          const promoted = await activities.promoteFirst(tx, a.cityCode, a.id, mine.role);
          if (promoted) await notify(tx, a, [promoted.user_id], 'activity.promoted', `候补成功：您已报名「${a.title}」`);
          else await activities.releasePlace(tx, a.cityCode, a.id, mine.role);
        }
      });
    },

    async signups(ctx: RequestCtx, id: string) {
      const { a } = await loadAsOrganizer(ctx, id);
      const rows = await activities.signups(a.cityCode, a.id);
      return rows.map(({ s, realName, userName }) => ({
        id: s.id,
        userId: s.userId,
        volunteerId: s.volunteerId,
        name: realName ?? userName,
        role: s.role,
        status: s.status,
        checkinAt: s.checkinAt ? toIso(s.checkinAt) : null,
        checkoutAt: s.checkoutAt ? toIso(s.checkoutAt) : null,
        attendanceNote: s.attendanceNote,
        hours: s.checkinAt && s.checkoutAt ? attendanceHours(s.checkinAt, s.checkoutAt, a.startsAt, a.endsAt).hours : null,
      }));
    },

    async checkinCode(ctx: RequestCtx, id: string) {
      const { a } = await loadAsOrganizer(ctx, id);
      if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
      const c = deps.codes.issue(a.id, now());
      return { code: c.code, expiresAt: toIso(c.expiresAt) };
    },

    async stamp(ctx: RequestCtx, id: string, field: 'checkin' | 'checkout', body: { code: string; lat?: number; lng?: number }) {
      const { actor, a } = await load(ctx, id);
      if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
      const mine = await activities.signupOf(a.id, actor.userId);
      if (!mine || mine.status !== 'registered') throw forbidden({ zh: '您没有报名成功，不能签到', en: 'Only registered participants check in' });
      const t = now();
      const win = field === 'checkin' ? checkinWindow(a.startsAt, a.endsAt) : checkoutWindow(a.startsAt, a.endsAt);
      if (t < win.from || t > win.to)
        throw ruleViolation(field === 'checkin' ? { zh: '不在签到时间内（开始前30分钟至结束）', en: 'Outside the check-in window' } : { zh: '不在签退时间内（结束后2小时内）', en: 'Outside the check-out window' });
      if (!deps.codes.verify(a.id, body.code, t)) throw ruleViolation({ zh: '签到码无效或已过期，请重新扫码', en: 'The code is wrong or expired; scan again' });
      if (field === 'checkin' && a.geofenceM && a.lat !== null && a.lng !== null) {
        if (body.lat === undefined || body.lng === undefined) throw ruleViolation({ zh: '本活动需要定位签到，请允许获取位置', en: 'This activity needs your location' });
        const d = distanceMeters(a.lat, a.lng, body.lat, body.lng);
        if (d > a.geofenceM) throw ruleViolation({ zh: `您距离活动地点约 ${Math.round(d)} 米，超出签到范围（${a.geofenceM} 米）`, en: `You are ${Math.round(d)} m away; the limit is ${a.geofenceM} m` });
      }
      if (field === 'checkout' && !mine.checkinAt) throw ruleViolation({ zh: '请先签到', en: 'Check in first' });
      const s = await db.transaction((tx) => activities.stamp(tx, a.cityCode, mine.id, field, t));
      const at = field === 'checkin' ? s.checkinAt! : s.checkoutAt!;
      return { at: toIso(at) };
    },

    /** Attendance by hand for people without phones, with a reason (audited). */
    async attendance(ctx: RequestCtx, id: string, body: { signupId: string; checkinAt: string; checkoutAt: string; reason: string }) {
      const { a } = await loadAsOrganizer(ctx, id);
      if (a.state !== 'published') throw invalidState({ zh: '活动不在进行中', en: 'The activity is not open' });
      const s = await activities.signupById(body.signupId);
      if (!s || s.activityId !== a.id || s.status !== 'registered') throw notFound({ zh: '报名记录不存在', en: 'No such sign-up' });
      await db.transaction(async (tx) => {
        await activities.setAttendance(tx, a.cityCode, s.id, new Date(body.checkinAt), new Date(body.checkoutAt), body.reason);
        await deps.audit.record(ctx, { cityCode: a.cityCode, action: 'activity.attendance', entityType: 'activity_signup', entityId: s.id, before: { checkinAt: s.checkinAt, checkoutAt: s.checkoutAt }, after: body }, tx);
      });
      return { ok: true };
    },

    /**
     * The sign-up list as .xlsx, for the same organisers as `signups`: everyone who signed up, with
     * the phone masked unless the viewer is a platform admin or that person, and waitlist places.
     */
    async exportSignups(ctx: RequestCtx, id: string): Promise<{ fileName: string; data: Buffer }> {
      const { actor, a } = await loadAsOrganizer(ctx, id);
      const rows = await activities.signups(a.cityCode, a.id);
      const phones = await activities.signupPhones(a.cityCode, a.id);
      const waiting = { volunteer: 0, resident: 0 };
      const items = rows.map(({ s, realName, userName }): SignupExportRow => {
        const phone = phones.get(s.id) ?? '';
        const attended = s.checkinAt && s.checkoutAt ? attendanceHours(s.checkinAt, s.checkoutAt, a.startsAt, a.endsAt) : null;
        return {
          role: s.role,
          name: realName ?? userName,
          phone: phoneAsSeenBy(actor, s.userId, phone),
          status: s.status,
          // Rows come in sign-up order (seq), so counting the waitlisted ones gives each its place.
          position: s.status === 'waitlisted' ? ++waiting[s.role] : null,
          signedUpAt: s.createdAt,
          checkinAt: s.checkinAt,
          checkoutAt: s.checkoutAt,
          share: attended?.share ?? null,
          hours: attended?.hours ?? null,
          attendanceNote: s.attendanceNote,
        };
      });
      await deps.audit.record(ctx, { cityCode: a.cityCode, action: 'activity.signups.export', entityType: 'activity', entityId: a.id, after: { rows: items.length } });
      return { fileName: `${a.title.replace(/[\\/:*?"<>|\r\n]/g, '_')}-报名与出勤名单.xlsx`, data: await signupsWorkbook(items) };
    },
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;

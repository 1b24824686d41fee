// Activities: the dependencies and helpers its use cases share (use-cases/*.ts).
import { z } from 'zod';
import { checkinWindow, checkoutWindow, nextActivityState, type ActivityEvent } from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';
import { forbidden, invalidState, notFound, validationFailed } from '../../lib/errors.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { ActivitiesRepository, ActivityRow, SignupRow } from './activities.repository.ts';
import type { CheckinCodes } from './checkin-codes.ts';
import type { UploadsRepository } from '../uploads/index.ts';
import { ZCursorTime } from '../../lib/cursor.ts';

export const ZCursor = z.object({ startsAt: ZCursorTime, id: z.string().uuid() });
export const activityNotFound = () => notFound({ zh: '活动不存在', en: 'No such activity' });

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
  /** The qualifications the activity requires that the volunteer lacks on the activity's day (modules/training). */
  missingQualifications?: (cityCode: string, activityId: string, volunteerId: string, on: Date) => Promise<string[]>;
  clock?: () => Date;
}

/** The average rating to one decimal, from the count and sum kept on the activity. */
export function ratingAverage(a: { ratingCount: number; ratingSum: number }): number | null {
  return a.ratingCount ? Math.round((a.ratingSum / a.ratingCount) * 10) / 10 : null;
}

/** What every use case of the module shares: its dependencies, the clock, and the helpers that load, check and present. */
export function createActivitiesKit(deps: ActivitiesDeps) {
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
      participants: a.participants,
      peopleServed: a.peopleServed,
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

  async function move(
    ctx: RequestCtx,
    id: string,
    event: ActivityEvent,
    patch: Record<string, unknown>,
    then?: (tx: Executor, a: ActivityRow) => Promise<void>,
  ) {
    const { actor, a } = await loadAsOrganizer(ctx, id);
    const to = nextActivityState(a.state, event);
    if (!to) throw invalidState({ zh: '活动当前状态不允许此操作', en: `Cannot ${event} an activity that is ${a.state}` });
    await db.transaction(async (tx) => {
      const updated = await activities.transition(tx, a.cityCode, a.id, a.state, to, patch);
      if (!updated) throw invalidState({ zh: '活动状态已变化，请刷新', en: 'The activity changed meanwhile' });
      await deps.audit.record(
        ctx,
        { cityCode: a.cityCode, action: `activity.${event}`, entityType: 'activity', entityId: a.id, before: { state: a.state }, after: { state: to } },
        tx,
      );
      await then?.(tx, a);
    });
    return present(actor, (await activities.byId(id))!);
  }

  return { ...deps, db, activities, now, isOrganizer, present, checkPhotos, load, loadAsOrganizer, notify, move };
}

export type ActivitiesKit = ReturnType<typeof createActivitiesKit>;

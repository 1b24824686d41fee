// 评选表彰 (honours): the dependencies and helpers its use cases share (use-cases/*.ts).
import { z } from 'zod';
import type { HonourRoundDto, NominationDto } from '@wenming/contracts';
import { localDate, votingOpen } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, isAncestorPath, MANAGE_ROLES, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository, VolunteersService } from '../volunteers/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { HonoursRepository, NominationRow, RoundRow } from './honours.repository.ts';

export const ZCreatedCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
export const roundNotFound = () => notFound({ zh: '评选活动不存在', en: 'No such selection round' });
export const nominationNotFound = () => notFound({ zh: '推荐不存在', en: 'No such nomination' });

export interface HonoursDeps {
  db: Db;
  honours: HonoursRepository;
  orgs: OrgsRepository;
  teams: TeamsRepository;
  volunteers: VolunteersRepository;
  volunteersService: VolunteersService;
  notifications: NotificationsRepository;
  audit: AuditRepository;
  clock?: () => Date;
}

/** Who the caller is to a round: its organiser (org admins of its site), a site below it that may nominate, or the public. */
export type RoundAccess = 'organiser' | 'nominator' | 'public';

export function createHonoursKit(deps: HonoursDeps) {
  const { honours } = deps;
  const now = deps.clock ?? (() => new Date());
  const today = () => localDate(now());

  function accessTo(actor: Actor, r: RoundRow): RoundAccess {
    const ref = { cityCode: r.cityCode, path: r.orgPath };
    if (inScope(scopeOf(actor, MANAGE_ROLES), ref)) return 'organiser';
    if (actor.grants.some((g) => g.role === 'org_admin' && g.cityCode === r.cityCode && isAncestorPath(r.orgPath, g.orgPath))) return 'nominator';
    return 'public';
  }
  /** Staff of the round's subtree (read roles) see it while nominating; the public only once voting opens. */
  function visible(actor: Actor, r: RoundRow, access: RoundAccess) {
    if (access !== 'public' || r.state !== 'nominating') return true;
    return inScope(scopeOf(actor, READ_ROLES), { cityCode: r.cityCode, path: r.orgPath });
  }

  async function loadRound(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const r = await honours.roundById(id);
    if (!r) throw roundNotFound();
    const access = accessTo(actor, r);
    if (!visible(actor, r, access)) throw roundNotFound();
    return { actor, r, access };
  }

  async function loadAsOrganiser(ctx: RequestCtx, id: string) {
    const l = await loadRound(ctx, id);
    if (l.access !== 'organiser') throw forbidden({ zh: '只有评选组织方的管理员可以操作', en: 'Only admins of the organising site may do this' });
    return l;
  }

  async function presentRound(actor: Actor, r: RoundRow, access: RoundAccess, count?: number, voted?: boolean): Promise<HonourRoundDto> {
    const day = today();
    const nominationCount = count ?? (await honours.nominationCounts(r.cityCode, [r.id], access === 'public')).get(r.id) ?? 0;
    const votedToday = voted ?? (await honours.votedOn(r.cityCode, [r.id], actor.userId, day)).has(r.id);
    const actions: string[] = [];
    if (access === 'organiser') {
      if (r.state === 'nominating') actions.push('openVoting', 'review');
      if (r.state === 'voting') actions.push('close', 'review', 'award');
    }
    if (r.state === 'nominating' && access !== 'public') actions.push('nominate');
    if (votingOpen(r, day) && !votedToday) actions.push('vote');
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      title: r.title,
      kind: r.kind,
      description: r.description,
      state: r.state,
      votingStartsOn: r.votingStartsOn,
      votingEndsOn: r.votingEndsOn,
      nominationCount,
      votedToday,
      allowedActions: actions,
    };
  }

  function presentNomination(n: NominationRow, r: RoundRow, access: RoundAccess, votedToday: boolean): NominationDto {
    const actions: string[] = [];
    if (access === 'organiser' && n.status === 'pending' && r.state !== 'closed') actions.push('review');
    if (access === 'organiser' && n.status === 'approved' && r.state === 'voting') actions.push('award');
    if (n.status === 'approved' && votingOpen(r, today()) && !votedToday) actions.push('vote');
    return {
      id: n.id,
      roundId: n.roundId,
      orgId: n.orgId,
      orgName: n.orgName,
      nominee: n.volunteerId ? { kind: 'volunteer', id: n.volunteerId, name: n.nomineeName } : { kind: 'team', id: n.teamId!, name: n.nomineeName },
      reason: n.reason,
      status: n.status,
      votes: n.votes,
      // The review note is for the organiser and the nominating site.
      reviewNote: access === 'public' ? null : n.reviewNote,
      award: n.award,
      allowedActions: actions,
    };
  }

  return { ...deps, now, today, accessTo, visible, loadRound, loadAsOrganiser, presentRound, presentNomination, toIso };
}

export type HonoursKit = ReturnType<typeof createHonoursKit>;

import { NATURE_NAMES } from '@wenming/contracts';
import { periodOfHour, rankCandidates, rankDepartments, ROUTABLE_NATURES, scoreDepartment, scoreTeam, scoreVolunteer } from '@wenming/domain';
import { forbidden } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { CANDIDATE_RADIUS_M, localDate, type OrdersKit } from '../orders-kit.ts';
import { createCandidatesRepository, type GeoPoint, type TeamGeoRow } from '../candidates.repository.ts';

/** A team whose site lies within this distance of the order's site is offered as a neighbour (issue 18). */
export const TEAM_NEAR_RADIUS_M = 3000;
/** Below this many volunteers within the radius, the nearest beyond it are offered too, with a warning. */
const MIN_VOLUNTEERS = 5;
/** How far beyond the radius a volunteer is still offered (a city's extent). */
const VOLUNTEER_MAX_M = 100_000;

/**
 * Ranked candidates with reasons (智能匹配). For a petition, complaint or consultation the
 * departments of the routing directory (派单目录) that cover the site and match it come first.
 * Teams by geography (issue 18): those of the order's site or above it, and those whose site is
 * within TEAM_NEAR_RADIUS_M of the order; when none of these serves the order's category, the
 * district's teams of the category, else the city's (an order in a county without teams still
 * gets candidates), nearest first, with a warning. Volunteers within CANDIDATE_RADIUS_M, and when
 * they are few the nearest beyond it, with a warning.
 */
export async function listCandidates(deps: OrdersKit, ctx: RequestCtx, id: string) {
  const { orders, now, load } = deps;
  const { o, roles } = await load(ctx, id);
  if (!roles.has('staff')) throw forbidden({ zh: '仅限工作人员', en: 'Staff only' });
  const geo = createCandidatesRepository(deps.db);
  // Where the order is: its own coordinates, else its site's.
  let at: GeoPoint | null = o.lat !== null && o.lng !== null ? { lat: o.lat, lng: o.lng } : null;
  if (!at) {
    const org = await deps.orgs.byId(o.orgId);
    at = org?.lat !== null && org?.lat !== undefined && org.lng !== null && org.lng !== undefined ? { lat: org.lat, lng: org.lng } : null;
  }
  // The team and the volunteer facts are independent: asked for side by side.
  const nearbyVolunteers = async () => {
    if (!at) return [];
    const within = (await orders.volunteerFacts(o.cityCode, o.category, at.lat, at.lng, CANDIDATE_RADIUS_M, 50)).map((v) => ({
      ...v,
      distance: Number(v.distance),
    }));
    if (within.length >= MIN_VOLUNTEERS) return within;
    const beyond = await geo.volunteersBeyond(o.cityCode, o.category, at, CANDIDATE_RADIUS_M, VOLUNTEER_MAX_M, MIN_VOLUNTEERS - within.length);
    return [...within, ...beyond.map((v) => ({ ...v, distance: Number(v.distance), availability: v.availability ?? [] }))];
  };
  const geoTeams = async (): Promise<(TeamGeoRow & { reach: 'site' | 'near' | 'district' | 'city' })[]> => {
    const near = (await geo.teamsNear(o.cityCode, o.orgPath, at, TEAM_NEAR_RADIUS_M)).map((t) => ({
      ...t,
      reach: t.levels_above === null ? ('near' as const) : ('site' as const),
    }));
    if (near.some((t) => t.category === o.category)) return near;
    // Nothing near serves the category: the district's teams of it, else the city's.
    const labels = o.orgPath.split('.');
    const exclude = near.map((t) => t.id);
    if (labels.length > 2) {
      const district = await geo.teamsWithin(o.cityCode, labels.slice(0, 2).join('.'), o.category, at, exclude, 5);
      if (district.length) return [...near, ...district.map((t) => ({ ...t, reach: 'district' as const }))];
    }
    const city = await geo.teamsWithin(o.cityCode, labels[0]!, o.category, at, exclude, 5);
    return [...near, ...city.map((t) => ({ ...t, reach: 'city' as const }))];
  };
  const routable = (ROUTABLE_NATURES as readonly string[]).includes(o.nature);
  const [item, teamFacts, volunteerFacts, deptFacts, categories] = await Promise.all([
    o.serviceItemId ? deps.items.byId(o.serviceItemId) : null,
    geoTeams(),
    nearbyVolunteers(),
    routable ? deps.departments.coveringSite(o.cityCode, o.orgPath) : [],
    routable ? deps.catalogues.categories() : [],
  ]);
  const categoryName = categories.find((c) => c.code === o.category)?.name;
  const departments = rankDepartments(
    deptFacts.map((d) =>
      scoreDepartment(
        { text: [o.title, o.content].filter(Boolean).join(' '), category: o.category, nature: o.nature },
        {
          id: d.id,
          name: d.name,
          categories: d.categories,
          natures: d.natures,
          keywords: d.keywords,
          levelsAbove: Number(d.levels_above),
          areaName: d.area_name,
          openOrders: Number(d.open_orders),
        },
        { category: categoryName, nature: NATURE_NAMES[o.nature] },
      ),
    ),
  ).map(({ strong: _strong, ...c }) => c);
  const teams = teamFacts.map((t) =>
    scoreTeam({
      kind: 'team',
      id: t.id,
      name: t.name,
      categoryMatch: t.category === o.category,
      levelsAbove: Number(t.levels_above ?? 0),
      reach: t.reach,
      distanceM: t.distance === null ? null : Number(t.distance),
      nearRadiusM: TEAM_NEAR_RADIUS_M,
      orgLevel: t.org_level,
      onMenuItem: !!item?.teamIds.includes(t.id),
      memberCount: Number(t.member_count),
      avgRating: t.avg_rating === null ? null : Number(t.avg_rating),
      ratedCount: Number(t.rated_count),
      openOrders: Number(t.open_orders),
      orgName: t.org_name,
    }),
  );
  const d = localDate(now());
  const period = periodOfHour(d.hour);
  const vols = volunteerFacts.map((v) =>
    scoreVolunteer({
      kind: 'volunteer',
      id: v.id,
      name: v.real_name,
      skillMatch: true,
      distanceM: Number(v.distance),
      radiusM: CANDIDATE_RADIUS_M,
      availableNow: !!period && (v.availability ?? []).some((a) => a.weekday === d.weekday && a.period === period),
      avgRating: v.avg_rating === null ? null : Number(v.avg_rating),
      ratedCount: Number(v.rated_count),
      openOrders: Number(v.open_orders),
    }),
  );
  return [...departments.slice(0, 10), ...rankCandidates([...teams.filter((t) => t.score >= 40 || teams.length <= 10), ...vols]).slice(0, 30)];
}

import { NATURE_NAMES } from '@wenming/contracts';
import { periodOfHour, rankCandidates, rankDepartments, ROUTABLE_NATURES, scoreDepartment, scoreTeam, scoreVolunteer } from '@wenming/domain';
import { forbidden } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { CANDIDATE_RADIUS_M, localDate, type OrdersKit } from '../orders-kit.ts';

/**
 * Ranked candidates with reasons (智能匹配). For a petition, complaint or consultation the
 * departments of the routing directory (派单目录) that cover the site and match it come first.
 */
export async function listCandidates(deps: OrdersKit, ctx: RequestCtx, id: string) {
  const { orders, now, load } = deps;
  const { o, roles } = await load(ctx, id);
  if (!roles.has('staff')) throw forbidden({ zh: '仅限工作人员', en: 'Staff only' });
  // The team and the volunteer facts are independent: asked for side by side.
  const nearbyVolunteers = async () => {
    let { lat, lng } = o;
    if (lat === null || lng === null) {
      const org = await deps.orgs.byId(o.orgId);
      lat = org?.lat ?? null;
      lng = org?.lng ?? null;
    }
    return lat !== null && lng !== null ? orders.volunteerFacts(o.cityCode, o.category, lat, lng, CANDIDATE_RADIUS_M, 50) : [];
  };
  const routable = (ROUTABLE_NATURES as readonly string[]).includes(o.nature);
  const [item, teamFacts, volunteerFacts, deptFacts, categories] = await Promise.all([
    o.serviceItemId ? deps.items.byId(o.serviceItemId) : null,
    orders.teamFacts(o.cityCode, o.orgPath),
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
      levelsAbove: Number(t.levels_above),
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

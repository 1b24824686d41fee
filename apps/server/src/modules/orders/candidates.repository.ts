import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';

/**
 * Facts for matching by geography (issue 18): teams whose site covers the order's site, teams
 * whose site lies within a radius of it, the district's and the city's teams when nothing near
 * serves the category, and the nearest volunteers beyond the radius. Every query filters by
 * `city_code` and joins city tables on it, with no correlated subquery (docs/scale-out.md).
 */
export interface TeamGeoRow {
  id: string;
  name: string;
  category: string;
  org_name: string;
  org_level: string;
  /** Levels of the team's site above the order's site; null when it does not cover it. */
  levels_above: number | null;
  /** Metres from the order (or its site) to the team's site; null when either has no coordinates. */
  distance: number | null;
  member_count: number;
  avg_rating: number | null;
  rated_count: number;
  open_orders: number;
}

export interface VolunteerGeoRow {
  id: string;
  real_name: string;
  availability: { weekday: number; period: string }[] | null;
  distance: number;
  avg_rating: number | null;
  rated_count: number;
  open_orders: number;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

const distanceTo = (at: GeoPoint | null) =>
  at
    ? sql`CASE WHEN o.lat IS NULL OR o.lng IS NULL THEN NULL ELSE earth_distance(ll_to_earth(o.lat, o.lng), ll_to_earth(${at.lat}, ${at.lng})) END`
    : sql`NULL::float8`;

/** The team facts (members, ratings, open load) of the teams a `cand` CTE selects. */
function withTeamFacts(cityCode: string, cand: SQL): SQL {
  return sql`
    WITH cand AS (${cand}),
    members AS (SELECT m.team_id, count(*)::int AS n FROM team_members m JOIN cand c ON c.id = m.team_id WHERE m.city_code = ${cityCode} GROUP BY m.team_id),
    ratings AS (SELECT r.assignee_team_id AS team_id, avg(r.rating)::float AS avg, count(*)::int AS n FROM orders r JOIN cand c ON c.id = r.assignee_team_id
                WHERE r.city_code = ${cityCode} AND r.rating IS NOT NULL GROUP BY r.assignee_team_id),
    load AS (SELECT l.assignee_team_id AS team_id, count(*)::int AS n FROM orders l JOIN cand c ON c.id = l.assignee_team_id
             WHERE l.city_code = ${cityCode} AND l.state IN ('dispatched', 'accepted', 'in_service') GROUP BY l.assignee_team_id)
    SELECT c.*, coalesce(m.n, 0) AS member_count, r.avg AS avg_rating, coalesce(r.n, 0) AS rated_count, coalesce(l.n, 0) AS open_orders
    FROM cand c LEFT JOIN members m ON m.team_id = c.id LEFT JOIN ratings r ON r.team_id = c.id LEFT JOIN load l ON l.team_id = c.id`;
}

export function createCandidatesRepository(db: Executor) {
  return {
    /** Active teams whose site is the order's site or above it, or lies within `radiusM` of `at`. */
    async teamsNear(cityCode: string, orgPath: string, at: GeoPoint | null, radiusM: number, tx: Executor = db): Promise<TeamGeoRow[]> {
      const near = at
        ? sql`(o.lat IS NOT NULL AND o.lng IS NOT NULL AND earth_box(ll_to_earth(${at.lat}, ${at.lng}), ${radiusM}) @> ll_to_earth(o.lat, o.lng)
                AND earth_distance(ll_to_earth(o.lat, o.lng), ll_to_earth(${at.lat}, ${at.lng})) <= ${radiusM})`
        : sql`false`;
      const res = await tx.execute(
        withTeamFacts(
          cityCode,
          sql`SELECT t.id, t.name, t.category, o.name AS org_name, o.level AS org_level,
                CASE WHEN o.path @> ${orgPath}::ltree THEN nlevel(${orgPath}::ltree) - nlevel(o.path) END AS levels_above,
                ${distanceTo(at)} AS distance
              FROM teams t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
              WHERE t.city_code = ${cityCode} AND t.status = 'active' AND (o.path @> ${orgPath}::ltree OR ${near})`,
        ),
      );
      return (res as { rows: TeamGeoRow[] }).rows;
    },

    /**
     * The fallback: active teams of `category` anywhere in the subtree `withinPath` (the district,
     * then the city) except `exclude`, nearest first (those without coordinates last, by name).
     */
    async teamsWithin(
      cityCode: string,
      withinPath: string,
      category: string,
      at: GeoPoint | null,
      exclude: readonly string[],
      limit: number,
      tx: Executor = db,
    ): Promise<TeamGeoRow[]> {
      const excluded = exclude.length
        ? sql`AND t.id NOT IN (${sql.join(
            exclude.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql``;
      const res = await tx.execute(
        withTeamFacts(
          cityCode,
          sql`SELECT t.id, t.name, t.category, o.name AS org_name, o.level AS org_level, NULL::int AS levels_above, ${distanceTo(at)} AS distance
              FROM teams t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
              WHERE t.city_code = ${cityCode} AND t.status = 'active' AND t.category = ${category} AND o.path <@ ${withinPath}::ltree ${excluded}
              ORDER BY distance ASC NULLS LAST, t.name, t.id
              LIMIT ${limit}`,
        ),
      );
      return (res as { rows: TeamGeoRow[] }).rows;
    },

    /** The nearest active volunteers with the skill beyond `radiusM` (up to `limit`, within `maxM`). */
    async volunteersBeyond(
      cityCode: string,
      skill: string,
      at: GeoPoint,
      radiusM: number,
      maxM: number,
      limit: number,
      tx: Executor = db,
    ): Promise<VolunteerGeoRow[]> {
      const res = await tx.execute(sql`
        WITH nearest AS (
          SELECT v.id, v.real_name, v.availability, earth_distance(ll_to_earth(v.lat, v.lng), ll_to_earth(${at.lat}, ${at.lng})) AS distance
          FROM volunteers v
          WHERE v.city_code = ${cityCode} AND v.status = 'active' AND v.lat IS NOT NULL AND ${skill} = ANY (v.skills)
            AND earth_box(ll_to_earth(${at.lat}, ${at.lng}), ${maxM}) @> ll_to_earth(v.lat, v.lng)
            AND NOT (earth_box(ll_to_earth(${at.lat}, ${at.lng}), ${radiusM}) @> ll_to_earth(v.lat, v.lng)
                     AND earth_distance(ll_to_earth(v.lat, v.lng), ll_to_earth(${at.lat}, ${at.lng})) <= ${radiusM})
          ORDER BY ll_to_earth(v.lat, v.lng) <-> ll_to_earth(${at.lat}, ${at.lng})
          LIMIT ${limit}
        ),
        ratings AS (SELECT r.assignee_volunteer_id AS vid, avg(r.rating)::float AS avg, count(*)::int AS n FROM orders r JOIN nearest c ON c.id = r.assignee_volunteer_id
                    WHERE r.city_code = ${cityCode} AND r.rating IS NOT NULL GROUP BY r.assignee_volunteer_id),
        load AS (SELECT l.assignee_volunteer_id AS vid, count(*)::int AS n FROM orders l JOIN nearest c ON c.id = l.assignee_volunteer_id
                 WHERE l.city_code = ${cityCode} AND l.state IN ('dispatched', 'accepted', 'in_service') GROUP BY l.assignee_volunteer_id)
        SELECT c.*, r.avg AS avg_rating, coalesce(r.n, 0) AS rated_count, coalesce(l.n, 0) AS open_orders
        FROM nearest c LEFT JOIN ratings r ON r.vid = c.id LEFT JOIN load l ON l.vid = c.id
        WHERE c.distance <= ${maxM}
        ORDER BY c.distance`);
      return (res as { rows: VolunteerGeoRow[] }).rows;
    },
  };
}
export type CandidatesRepository = ReturnType<typeof createCandidatesRepository>;

/**
 * Explainable matching (智能匹配): a documented score for each candidate with the reasons a
 * dispatcher reads. Inputs are facts gathered by the server; this is pure arithmetic.
 *
 * Teams:      category match 40 · proximity up to 30 · listed on the menu item 20 · members up to 10
 *             · past ratings ±10 · open load −4 each (max −20)
 *             proximity by reach (geography, issue 18): a team of the order's site or above it 30 − 8
 *             per level above; a team whose site is within the radius 4 + 22 × (1 − distance / radius);
 *             the district's other teams 4 and the city's 0, plus up to 4 the nearer they are (0 at
 *             100 km), offered only when nothing near serves the category, with a warning that says so.
 * Volunteers: skill match 40 · distance up to 30 (linear to 0 at the radius) · availability now 10
 *             · past ratings ±10 · open load −5 each (max −20); one beyond the radius is shown with a warning.
 */
/** How a team reaches the order's site: covers it (its site or above), near it, or by fallback to the district or the city. */
export type TeamReach = 'site' | 'near' | 'district' | 'city';
export interface TeamFacts {
  kind: 'team';
  id: string;
  name: string;
  categoryMatch: boolean;
  levelsAbove: number;
  onMenuItem: boolean;
  memberCount: number;
  avgRating: number | null;
  ratedCount: number;
  openOrders: number;
  orgName: string;
  /** Default 'site' (the team's site is the order's site or above it). */
  reach?: TeamReach;
  /** Metres from the order to the team's site, when both have coordinates. */
  distanceM?: number | null;
  /** The radius of 'near' (metres). */
  nearRadiusM?: number;
  /** The level of the team's site (station, institute…), for the reason's wording. */
  orgLevel?: string;
}

export interface VolunteerFacts {
  kind: 'volunteer';
  id: string;
  name: string;
  skillMatch: boolean;
  distanceM: number;
  radiusM: number;
  availableNow: boolean;
  avgRating: number | null;
  ratedCount: number;
  openOrders: number;
}

export interface Candidate {
  kind: 'team' | 'volunteer';
  id: string;
  name: string;
  score: number;
  reasons: string[];
  /** Something the dispatcher should weigh before choosing this one (far away, outside the district…). */
  warning?: string;
}

/** "220 米" / "12.3 公里". */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

/** Up to 4 points for a fallback team, the nearer the more (0 at 100 km or unknown). */
const fallbackNearness = (m: number | null | undefined) => (m === null || m === undefined ? 0 : 4 * Math.max(0, 1 - m / 100_000));

const NEIGHBOUR: Record<string, string> = { point: '邻近社区', station: '邻近社区', institute: '邻近街道（乡镇）', center: '邻近区县', city: '市级' };

function ratingPart(avg: number | null, n: number, reasons: string[]): number {
  if (avg === null || n === 0) {
    reasons.push('暂无评价记录');
    return 0;
  }
  reasons.push(`历史评价 ${avg.toFixed(1)} 分（${n} 单）`);
  return Math.max(-10, Math.min(10, (avg - 3) * 5));
}

function loadPart(open: number, per: number, reasons: string[]): number {
  reasons.push(open === 0 ? '当前无在办工单' : `当前在办 ${open} 单`);
  return -Math.min(20, open * per);
}

export function scoreTeam(f: TeamFacts): Candidate {
  const reasons: string[] = [];
  let score = 0;
  if (f.categoryMatch) {
    score += 40;
    reasons.push('服务类别对口');
  }
  let warning: string | undefined;
  const reach = f.reach ?? 'site';
  const far = f.distanceM === null || f.distanceM === undefined ? '' : `距离 ${formatDistance(f.distanceM)} · `;
  if (reach === 'site') {
    score += Math.max(0, 30 - 8 * f.levelsAbove);
    reasons.push(f.levelsAbove === 0 ? `本阵地队伍（${f.orgName}）` : `上${f.levelsAbove}级阵地队伍（${f.orgName}）`);
  } else if (reach === 'near') {
    const radius = f.nearRadiusM ?? 3000;
    score += 4 + 22 * Math.max(0, 1 - (f.distanceM ?? radius) / radius);
    reasons.push(`${far}${NEIGHBOUR[f.orgLevel ?? 'station'] ?? '邻近阵地'}（${f.orgName}）`);
  } else if (reach === 'district') {
    score += 4 + fallbackNearness(f.distanceM);
    reasons.push(`${far}本区县其他阵地队伍（${f.orgName}）`);
    warning = '附近没有对口队伍，已扩大到本区县范围';
  } else {
    score += fallbackNearness(f.distanceM);
    reasons.push(`${far}本市其他区县队伍（${f.orgName}）`);
    warning = '本区县没有对口队伍，已扩大到全市范围';
  }
  if (f.onMenuItem) {
    score += 20;
    reasons.push('菜单服务项目的提供队伍');
  }
  score += Math.min(10, f.memberCount);
  reasons.push(`队员 ${f.memberCount} 人`);
  score += ratingPart(f.avgRating, f.ratedCount, reasons);
  score += loadPart(f.openOrders, 4, reasons);
  return { kind: 'team', id: f.id, name: f.name, score: Math.round(score * 10) / 10, reasons, ...(warning && { warning }) };
}

export function scoreVolunteer(f: VolunteerFacts): Candidate {
  const reasons: string[] = [];
  let score = 0;
  if (f.skillMatch) {
    score += 40;
    reasons.push('具备对口技能');
  }
  const near = Math.max(0, 1 - f.distanceM / f.radiusM);
  score += 30 * near;
  reasons.push(`距离约 ${formatDistance(f.distanceM)}`);
  const warning = f.distanceM > f.radiusM ? `超出 ${formatDistance(f.radiusM)}服务半径（距离 ${formatDistance(f.distanceM)}），请确认能否到场` : undefined;
  if (f.availableNow) {
    score += 10;
    reasons.push('当前时段有空');
  }
  score += ratingPart(f.avgRating, f.ratedCount, reasons);
  score += loadPart(f.openOrders, 5, reasons);
  return { kind: 'volunteer', id: f.id, name: f.name, score: Math.round(score * 10) / 10, reasons, ...(warning && { warning }) };
}

export function rankCandidates(list: Candidate[]): Candidate[] {
  return [...list].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh'));
}

/** Which availability period a local hour falls in. */
export function periodOfHour(hour: number): 'morning' | 'afternoon' | 'evening' | null {
  if (hour >= 6 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 22) return 'evening';
  return null;
}

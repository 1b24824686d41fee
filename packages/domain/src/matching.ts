/**
 * Explainable matching (智能匹配): a documented score for each candidate with the reasons a
 * dispatcher reads. Inputs are facts gathered by the server; this is pure arithmetic.
 *
 * Teams:      category match 40 · tree proximity 30 (−8 per level above the order's site)
 *             · listed on the menu item 20 · members up to 10 · past ratings ±10 · open load −4 each (max −20)
 * Volunteers: skill match 40 · distance up to 30 (linear to 0 at the radius) · availability now 10
 *             · past ratings ±10 · open load −5 each (max −20)
 */
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
}

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
  score += Math.max(0, 30 - 8 * f.levelsAbove);
  reasons.push(f.levelsAbove === 0 ? `本阵地队伍（${f.orgName}）` : `上${f.levelsAbove}级阵地队伍（${f.orgName}）`);
  if (f.onMenuItem) {
    score += 20;
    reasons.push('菜单服务项目的提供队伍');
  }
  score += Math.min(10, f.memberCount);
  reasons.push(`队员 ${f.memberCount} 人`);
  score += ratingPart(f.avgRating, f.ratedCount, reasons);
  score += loadPart(f.openOrders, 4, reasons);
  return { kind: 'team', id: f.id, name: f.name, score: Math.round(score * 10) / 10, reasons };
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
  reasons.push(f.distanceM < 1000 ? `距离约 ${Math.round(f.distanceM / 10) * 10} 米` : `距离约 ${(f.distanceM / 1000).toFixed(1)} 公里`);
  if (f.availableNow) {
    score += 10;
    reasons.push('当前时段有空');
  }
  score += ratingPart(f.avgRating, f.ratedCount, reasons);
  score += loadPart(f.openOrders, 5, reasons);
  return { kind: 'volunteer', id: f.id, name: f.name, score: Math.round(score * 10) / 10, reasons };
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

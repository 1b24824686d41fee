/**
 * The routing directory (派单目录, 接诉即办): which department answers which complaints where.
 * A department lists the categories and natures it handles, keywords of its business, and the
 * area (an org subtree) it covers; a petition, complaint or consultation inside that area is
 * scored against it, with the reasons a dispatcher reads. Pure arithmetic over facts the server
 * gathers.
 *
 * Score: each keyword found in the text 25 (at most 50) · category 30 · nature 15
 *        · area proximity 10 (−3 per level the area lies above the order's site)
 *        · open load −1 per order (max −10).
 * A department with no keyword, category or nature match is not a candidate at all.
 */
export interface DepartmentFacts {
  id: string;
  name: string;
  categories: string[];
  natures: string[];
  keywords: string[];
  /** Levels between the department's area org and the order's site (0: the site itself). */
  levelsAbove: number;
  areaName: string;
  openOrders: number;
}

export interface DepartmentCandidate {
  kind: 'department';
  id: string;
  name: string;
  score: number;
  reasons: string[];
  /** True when the match rests on a keyword or category (not the nature alone). */
  strong: boolean;
}

/** The natures a department handles (a service need goes to volunteers, not here). */
export const ROUTABLE_NATURES = ['petition', 'complaint', 'consult'] as const;

export function keywordHits(text: string, keywords: readonly string[]): string[] {
  const t = text.toLowerCase();
  return [...new Set(keywords.map((k) => k.trim()).filter((k) => k.length > 0 && t.includes(k.toLowerCase())))];
}

export function scoreDepartment(
  order: { text: string; category: string; nature: string },
  f: DepartmentFacts,
  names: { category?: string; nature?: string } = {},
): DepartmentCandidate | null {
  const hits = keywordHits(order.text, f.keywords);
  const category = f.categories.includes(order.category);
  const nature = f.natures.includes(order.nature);
  if (!hits.length && !category && !nature) return null;
  const reasons: string[] = [];
  let score = 0;
  if (hits.length) {
    score += Math.min(50, 25 * hits.length);
    reasons.push(`诉求提到「${hits.slice(0, 3).join('」「')}」，属本部门职责`);
  }
  if (category) {
    score += 30;
    reasons.push(`负责「${names.category ?? order.category}」类诉求`);
  }
  if (nature) {
    score += 15;
    reasons.push(`受理${names.nature ?? order.nature}`);
  }
  score += Math.max(0, 10 - 3 * f.levelsAbove);
  reasons.push(f.levelsAbove === 0 ? `管辖本阵地（${f.areaName}）` : `管辖范围含本阵地（${f.areaName}）`);
  score -= Math.min(10, f.openOrders);
  reasons.push(f.openOrders === 0 ? '当前无在办转办件' : `当前在办 ${f.openOrders} 件`);
  return { kind: 'department', id: f.id, name: f.name, score: Math.round(score * 10) / 10, reasons, strong: hits.length > 0 || category };
}

/** Departments best first; ties by name. */
export function rankDepartments(list: (DepartmentCandidate | null)[]): DepartmentCandidate[] {
  return list.filter((c): c is DepartmentCandidate => c !== null).sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh'));
}

/** A department's rate needs this many cases before it is shown (below: 样本不足, not 100 %). */
export const DEPARTMENT_MIN_SAMPLE = 5;

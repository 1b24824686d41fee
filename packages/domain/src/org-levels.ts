import type { OrgLevel } from '@wenming/contracts';

/** Which levels may sit directly under which (API.md "Org levels"). */
export const ALLOWED_PARENTS = {
  city: [],
  center: ['city'],
  institute: ['center'],
  station: ['institute'],
  point: ['center', 'institute', 'station'],
} as const satisfies Record<OrgLevel, readonly OrgLevel[]>;

export function canBeChildOf(child: OrgLevel, parent: OrgLevel | null): boolean {
  if (parent === null) return child === 'city';
  return (ALLOWED_PARENTS[child] as readonly OrgLevel[]).includes(parent);
}

/** The levels that may be created directly under a parent of this level. */
export function childLevelsOf(parent: OrgLevel): OrgLevel[] {
  return (Object.keys(ALLOWED_PARENTS) as OrgLevel[]).filter((c) => canBeChildOf(c, parent));
}

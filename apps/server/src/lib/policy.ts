import { sql, type SQL } from 'drizzle-orm';
import type { Role } from '@wenming/contracts';
import { maskPhone } from '@wenming/domain';
import { forbidden, unauthenticated } from './errors.ts';

/**
 * The policy layer every module uses: who the caller is, and which org subtrees they may see
 * or change. A staff role is scoped to an org's subtree (ltree path) in one city.
 */
export interface Grant {
  id: string;
  role: Exclude<Role, 'admin'>;
  cityCode: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  departmentId: string | null;
  departmentName: string | null;
}

export interface Actor {
  userId: string;
  name: string;
  phone: string;
  isAdmin: boolean;
  grants: Grant[];
  /** The caller's volunteer profile, when they reported in as one. */
  volunteerId?: string;
  /** The cities the account works in (user_cities), when resolved with the session: look-ups by the caller's id name them. */
  cityCodes?: readonly string[];
}

export interface RequestCtx {
  actor: Actor | null;
  ip: string;
  requestId: string;
  /** The request's Idempotency-Key, on routes whose write claims it (plugins/idempotency.ts). */
  idempotency?: { caller: string; key: string; hash: string };
  /** Set when the answer is the stored first answer to the same key. */
  replayed?: boolean;
}

export type SignedInCtx = RequestCtx & { actor: Actor };

/**
 * Who reads a public page without signing in (a 公众号 menu link, docs/channels.md "A public
 * face"): an account that exists nowhere, holds no role, signed up for nothing. Only read-only
 * use cases of public content stand it in for a missing actor; every write still needs one.
 */
export const VISITOR: Actor = { userId: '00000000-0000-0000-0000-000000000000', name: '访客', phone: '', isAdmin: false, grants: [] };

/** The request's actor, or the visitor for a public read. */
export const readerCtx = (ctx: RequestCtx): SignedInCtx => (ctx.actor ? (ctx as SignedInCtx) : { ...ctx, actor: VISITOR });

/** A signed-in session as the auth plugin attaches it to a request. */
export interface SessionInfo {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

export interface OrgRef {
  cityCode: string;
  path: string;
}

export type StaffRole = 'org_admin' | 'dispatcher';
/** Roles that may read an org's subtree in the admin console. */
export const READ_ROLES: StaffRole[] = ['org_admin', 'dispatcher'];
/** Roles that may change an org's subtree (sites, users, departments). */
export const MANAGE_ROLES: StaffRole[] = ['org_admin'];

export type Scope = { all: true } | { all: false; subtrees: OrgRef[] };

export function requireActor(ctx: RequestCtx): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

export function isStaff(actor: Actor): boolean {
  return actor.isAdmin || actor.grants.some((g) => g.role === 'org_admin' || g.role === 'dispatcher');
}

/** The subtrees the actor holds one of `roles` on (admins: everything). */
export function scopeOf(actor: Actor, roles: readonly StaffRole[]): Scope {
  if (actor.isAdmin) return { all: true };
  const subtrees = actor.grants.filter((g) => (roles as readonly string[]).includes(g.role)).map((g) => ({ cityCode: g.cityCode, path: g.orgPath }));
  // Drop subtrees nested in another one.
  return {
    all: false,
    subtrees: subtrees.filter(
      (s, i) => !subtrees.some((o, j) => j !== i && o.cityCode === s.cityCode && isAncestorPath(o.path, s.path) && (o.path !== s.path || j < i)),
    ),
  };
}

export function isAncestorPath(ancestor: string, path: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`);
}

export function inScope(scope: Scope, org: OrgRef): boolean {
  return scope.all || scope.subtrees.some((s) => s.cityCode === org.cityCode && isAncestorPath(s.path, org.path));
}

/** Throws 403 unless the org lies in the actor's subtree for these roles. */
export function assertInScope(actor: Actor, roles: readonly StaffRole[], org: OrgRef): void {
  if (!inScope(scopeOf(actor, roles), org)) throw forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
}

/** Throws 403 unless the actor holds a staff role somewhere (or is admin). */
export function assertStaff(actor: Actor, roles: readonly StaffRole[] = READ_ROLES): Scope {
  const scope = scopeOf(actor, roles);
  if (!scope.all && scope.subtrees.length === 0) throw forbidden({ zh: '仅限工作人员使用', en: 'Staff only' });
  return scope;
}

/** SQL condition: the org columns (city code, ltree path) lie in the scope. */
export function scopeCondition(scope: Scope, cityCol: unknown, pathCol: unknown): SQL {
  if (scope.all) return sql`TRUE`;
  if (scope.subtrees.length === 0) return sql`FALSE`;
  const parts = scope.subtrees.map((s) => sql`(${cityCol} = ${s.cityCode} AND ${pathCol} <@ ${s.path}::ltree)`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/** A person's phone as `viewer` sees it: whole for a platform admin or the person themselves, masked (138****1234) for everyone else. */
export function phoneAsSeenBy(viewer: Pick<Actor, 'isAdmin' | 'userId'>, ownerUserId: string, phone: string): string {
  return viewer.isAdmin || viewer.userId === ownerUserId ? phone : maskPhone(phone);
}

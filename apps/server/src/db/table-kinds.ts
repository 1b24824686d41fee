/**
 * The kind of every table, declared once (docs/scale-out.md "Table kinds"). Any table not listed
 * here is a city table: it carries `city_code NOT NULL`, its keys start with it, and on Citus it
 * is distributed by it, co-located with `orgs`. The migration-rules test reads these sets, and
 * the distribution step for Citus reads them too; a new table is declared here or carries
 * `city_code`.
 */

/**
 * Small catalogues shared by all cities; city tables may reference them. Also `user_cities` (0042),
 * the cities an account works in: role_grants and volunteers refer to it, so it is complete by
 * construction, and the caller's lookup names those cities instead of asking every shard.
 */
export const REFERENCE_TABLES: ReadonlySet<string> = new Set(['cities', 'categories', 'resource_categories', 'resource_types', 'user_cities']);

/** Keyed by the account, not by a city; never referenced by foreign keys from city tables. */
export const ACCOUNT_TABLES: ReadonlySet<string> = new Set([
  'users',
  'sessions',
  'login_failures',
  'login_throttles',
  'activation_codes',
  'sms_codes',
  'sms_client_sends',
  'notifications',
  'message_outbox',
  'notice_opt_outs',
  'wechat_bindings',
  'wechat_pending_binds',
  'uploads',
]);

/** One plain table per deployment: the deployment's own logs and stores. */
export const DEPLOYMENT_TABLES: ReadonlySet<string> = new Set([
  'audit_logs',
  'idempotency_keys',
  'schema_migrations',
  'volunteer_imports',
  'volunteer_import_errors',
  'wechat_tokens',
]);

export type TableKind = 'reference' | 'account' | 'deployment' | 'city';

export function tableKind(name: string): TableKind {
  if (REFERENCE_TABLES.has(name)) return 'reference';
  if (ACCOUNT_TABLES.has(name)) return 'account';
  if (DEPLOYMENT_TABLES.has(name)) return 'deployment';
  return 'city';
}

/**
 * Where a table lives on Citus (docs/scale-out.md "Citus"): city tables are distributed by
 * `city_code`, co-located with `orgs`; catalogues are reference tables (a copy on every node);
 * `users` too, because its keys (id, and the unique phone) are not a city, and every list joins
 * it for names: a reference table joins any shard locally. The other account tables and the
 * deployment tables stay on the coordinator (where a foreign key to `users` makes Citus manage
 * them as local tables beside the reference copy).
 */
export type Placement = 'distributed' | 'reference' | 'coordinator';

/** Account tables that Citus replicates to every node. */
export const REPLICATED_ACCOUNT_TABLES: ReadonlySet<string> = new Set(['users']);

export function placementOnCitus(name: string): Placement {
  const kind = tableKind(name);
  if (kind === 'city') return 'distributed';
  if (kind === 'reference' || REPLICATED_ACCOUNT_TABLES.has(name)) return 'reference';
  return 'coordinator';
}

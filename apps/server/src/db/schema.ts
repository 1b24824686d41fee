/**
 * Drizzle table definitions mirroring the SQL migrations (the migrations are the source of truth;
 * constraints live there). Used for typed queries in repositories.
 */
import { pgTable, text, uuid, boolean, timestamp, doublePrecision, integer, bigint, jsonb, customType } from 'drizzle-orm/pg-core';

export const ltree = customType<{ data: string }>({ dataType: () => 'ltree' });

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const cities = pgTable('cities', {
  cityCode: text('city_code').primaryKey(),
  name: text('name').notNull(),
  provinceName: text('province_name').notNull(),
  timeZone: text('time_zone').notNull(),
});

export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  builtin: boolean('builtin').notNull(),
  sort: integer('sort').notNull(),
});

export const resourceCategories = pgTable('resource_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  sort: integer('sort').notNull(),
});

export const resourceTypes = pgTable('resource_types', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  sort: integer('sort').notNull(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  phone: text('phone').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  userId: uuid('user_id').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  userAgent: text('user_agent'),
  ip: text('ip'),
});

export const loginFailures = pgTable('login_failures', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  phone: text('phone').notNull(),
  ip: text('ip'),
  at: ts('at').notNull().defaultNow(),
});

export const auditLogs = pgTable('audit_logs', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  cityCode: text('city_code'),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  ip: text('ip'),
  requestId: text('request_id'),
  at: ts('at').notNull().defaultNow(),
});

export const idempotencyKeys = pgTable('idempotency_keys', {
  caller: text('caller').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  responseBody: text('response_body'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const orgs = pgTable('orgs', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  parentId: uuid('parent_id'),
  level: text('level').$type<'city' | 'center' | 'institute' | 'station' | 'point'>().notNull(),
  name: text('name').notNull(),
  regionCode: text('region_code'),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  path: ltree('path').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const departments = pgTable('departments', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const roleGrants = pgTable('role_grants', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  userId: uuid('user_id').notNull(),
  role: text('role').$type<'org_admin' | 'dispatcher' | 'dept_officer'>().notNull(),
  orgId: uuid('org_id').notNull(),
  departmentId: uuid('department_id'),
  grantedBy: uuid('granted_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

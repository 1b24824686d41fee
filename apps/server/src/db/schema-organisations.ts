/** 志愿服务组织 and join requests (0029_organisations.sql, 0030_join_requests.sql, issue 21). */
import { pgTable, text, uuid, timestamp, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organisations = pgTable(
  'organisations',
  {
    cityCode: text('city_code').notNull(),
    id: uuid('id').notNull(),
    orgId: uuid('org_id').notNull(),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull(),
    registrationAuthority: text('registration_authority').notNull(),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    address: text('address'),
    description: text('description'),
    categories: text('categories').array().notNull().default([]),
    status: text('status').$type<'active' | 'dissolved'>().notNull().default('active'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.id] })],
);

export const organisationSites = pgTable(
  'organisation_sites',
  {
    cityCode: text('city_code').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    orgId: uuid('org_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.organisationId, t.orgId] })],
);

export const organisationTeams = pgTable(
  'organisation_teams',
  {
    cityCode: text('city_code').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    teamId: uuid('team_id').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.organisationId, t.teamId] })],
);

export const organisationMembers = pgTable(
  'organisation_members',
  {
    cityCode: text('city_code').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    joinedAt: ts('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.organisationId, t.volunteerId] })],
);

export const organisationAdmins = pgTable(
  'organisation_admins',
  {
    cityCode: text('city_code').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    userId: uuid('user_id').notNull(),
    grantedBy: uuid('granted_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.organisationId, t.userId] })],
);

export const joinRequests = pgTable(
  'join_requests',
  {
    cityCode: text('city_code').notNull(),
    id: uuid('id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    teamId: uuid('team_id'),
    organisationId: uuid('organisation_id'),
    message: text('message'),
    status: text('status').$type<'pending' | 'approved' | 'refused' | 'withdrawn'>().notNull().default('pending'),
    reason: text('reason'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.id] })],
);

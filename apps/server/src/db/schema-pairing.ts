/**
 * Drizzle tables of 结对帮扶 (0012_pairing.sql; the migration is the source of truth).
 * Re-exported by schema.ts.
 */
import { pgTable, text, uuid, timestamp, doublePrecision, integer, jsonb, customType, date, primaryKey } from 'drizzle-orm/pg-core';
import type { PairingRules } from '@wenming/domain';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const hours = (name: string) =>
  customType<{ data: number; driverData: string }>({
    dataType: () => 'numeric',
    fromDriver: (v) => Number(v),
    toDriver: (v) => String(v),
  })(name);
const day = (name: string) => date(name, { mode: 'string' });

export const pairingResidents = pgTable('pairing_residents', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone'),
  gender: text('gender').$type<'male' | 'female'>(),
  birthYear: integer('birth_year'),
  tags: text('tags').array().notNull(),
  note: text('note'),
  linkedUserId: uuid('linked_user_id'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const pairingPlans = pgTable('pairing_plans', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  state: text('state').$type<'active' | 'paused' | 'ended'>().notNull().default('active'),
  rules: jsonb('rules').$type<PairingRules>().notNull(),
  startsOn: day('starts_on').notNull(),
  endsOn: day('ends_on'),
  visitHours: hours('visit_hours').notNull(),
  stateReason: text('state_reason'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const pairingPlanVolunteers = pgTable(
  'pairing_plan_volunteers',
  {
    cityCode: text('city_code').notNull(),
    planId: uuid('plan_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.planId, t.volunteerId] })],
);

export const pairingPlanResidents = pgTable(
  'pairing_plan_residents',
  {
    cityCode: text('city_code').notNull(),
    planId: uuid('plan_id').notNull(),
    residentId: uuid('resident_id').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.planId, t.residentId] })],
);

export const pairingTasks = pgTable('pairing_tasks', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  planId: uuid('plan_id').notNull(),
  kind: text('kind').$type<'weekly' | 'monthly' | 'holiday'>().notNull(),
  dueOn: day('due_on').notNull(),
  dueAt: ts('due_at').notNull(),
  label: text('label').notNull(),
  state: text('state').$type<'open' | 'done' | 'missed' | 'cancelled'>().notNull().default('open'),
  loggedBy: uuid('logged_by'),
  loggedAt: ts('logged_at'),
  visitedAt: ts('visited_at'),
  hours: hours('hours'),
  note: text('note'),
  photoIds: text('photo_ids').array().notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  servedVolunteerIds: uuid('served_volunteer_ids').array().notNull(),
  missedReason: text('missed_reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

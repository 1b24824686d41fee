/**
 * Drizzle tables of training (0031_training.sql) and honours (0032_honours.sql); the migrations
 * are the source of truth. Re-exported by schema.ts.
 */
import { pgTable, text, uuid, timestamp, integer, customType, date, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const hours = (name: string) =>
  customType<{ data: number; driverData: string }>({
    dataType: () => 'numeric',
    fromDriver: (v) => Number(v),
    toDriver: (v) => String(v),
  })(name);
const day = (name: string) => date(name, { mode: 'string' });

export const trainingLecturers = pgTable('training_lecturers', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  title: text('title'),
  bio: text('bio'),
  specialties: text('specialties').array().notNull(),
  resourceId: uuid('resource_id'),
  status: text('status').$type<'active' | 'retired'>().notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const trainingCourses = pgTable('training_courses', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  title: text('title').notNull(),
  category: text('category').notNull(),
  hours: hours('hours').notNull(),
  description: text('description'),
  lecturerIds: uuid('lecturer_ids').array().notNull(),
  qualification: text('qualification'),
  qualificationMonths: integer('qualification_months'),
  status: text('status').$type<'active' | 'retired'>().notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const trainingSessions = pgTable('training_sessions', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  courseId: uuid('course_id').notNull(),
  orgId: uuid('org_id').notNull(),
  address: text('address').notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  capacity: integer('capacity').notNull(),
  registered: integer('registered').notNull().default(0),
  state: text('state').$type<'open' | 'finished' | 'cancelled'>().notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});

export const trainingSignups = pgTable('training_signups', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  sessionId: uuid('session_id').notNull(),
  userId: uuid('user_id').notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  checkinAt: ts('checkin_at'),
  attendanceNote: text('attendance_note'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const trainingRecords = pgTable('training_records', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  sessionId: uuid('session_id'),
  courseId: uuid('course_id'),
  orgId: uuid('org_id').notNull(),
  title: text('title').notNull(),
  hours: hours('hours').notNull(),
  trainedOn: day('trained_on').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const volunteerQualifications = pgTable('volunteer_qualifications', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  name: text('name').notNull(),
  validUntil: day('valid_until'),
  source: text('source').$type<'staff' | 'course'>().notNull(),
  courseId: uuid('course_id'),
  sessionId: uuid('session_id'),
  note: text('note'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
});

export const activityRequiredQualifications = pgTable(
  'activity_required_qualifications',
  {
    cityCode: text('city_code').notNull(),
    activityId: uuid('activity_id').notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.activityId, t.name] })],
);

export const honourRounds = pgTable('honour_rounds', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  title: text('title').notNull(),
  kind: text('kind').$type<'volunteer' | 'team'>().notNull(),
  description: text('description'),
  state: text('state').$type<'nominating' | 'voting' | 'closed'>().notNull(),
  votingStartsOn: day('voting_starts_on').notNull(),
  votingEndsOn: day('voting_ends_on').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  closedAt: ts('closed_at'),
});

export const honourNominations = pgTable('honour_nominations', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  roundId: uuid('round_id').notNull(),
  orgId: uuid('org_id').notNull(),
  volunteerId: uuid('volunteer_id'),
  teamId: uuid('team_id'),
  reason: text('reason').notNull(),
  status: text('status').$type<'pending' | 'approved' | 'rejected' | 'awarded'>().notNull(),
  votes: integer('votes').notNull().default(0),
  reviewNote: text('review_note'),
  reviewedBy: uuid('reviewed_by'),
  reviewedAt: ts('reviewed_at'),
  award: text('award'),
  awardedAt: ts('awarded_at'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const honourVotes = pgTable(
  'honour_votes',
  {
    cityCode: text('city_code').notNull(),
    roundId: uuid('round_id').notNull(),
    userId: uuid('user_id').notNull(),
    voteDay: day('vote_day').notNull(),
    nominationId: uuid('nomination_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.roundId, t.userId, t.voteDay] })],
);

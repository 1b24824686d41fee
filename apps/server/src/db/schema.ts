/**
 * Drizzle table definitions mirroring the SQL migrations (the migrations are the source of truth;
 * constraints live there). Used for typed queries in repositories.
 */
import { pgTable, text, uuid, boolean, timestamp, doublePrecision, integer, bigint, jsonb, customType, primaryKey, date } from 'drizzle-orm/pg-core';
import type { OrderState } from '@wenming/domain';

export const ltree = customType<{ data: string }>({ dataType: () => 'ltree' });

/** 结对帮扶 tables (0012_pairing.sql) live in their own file. */
export * from './schema-pairing.ts';
/** Training (0031) and honours (0032) tables live in their own file. */
export * from './schema-training.ts';
/** 志愿服务组织 and join requests (0029, 0030) live in their own file. */
export * from './schema-organisations.ts';

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
  // 0037: the category's own triage cues; custom ("+N") categories are managed in the console.
  keywords: text('keywords').array().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
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
  /** 0024: when the person accepted 用户协议 and 隐私政策 (first sign-in by SMS code). */
  termsAcceptedAt: ts('terms_accepted_at'),
  /** 0025: the person's community (a station), set in 我的; no foreign key (an account table). */
  homeCityCode: text('home_city_code'),
  homeOrgId: uuid('home_org_id'),
  address: text('address'),
  /** 0038: 长辈模式, chosen by the person and kept with the account. */
  elderMode: boolean('elder_mode').notNull().default(false),
});

/** 0042: the cities an account works in (its role grants and volunteer records refer to these rows). */
export const userCities = pgTable('user_cities', {
  userId: uuid('user_id').notNull(),
  cityCode: text('city_code').notNull(),
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

/** 0017: one live activation code (激活码) per user; using it deletes it. */
export const activationCodes = pgTable('activation_codes', {
  userId: uuid('user_id').primaryKey(),
  codeHash: text('code_hash').notNull(),
  issuedBy: uuid('issued_by').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const loginFailures = pgTable('login_failures', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  phone: text('phone').notNull(),
  ip: text('ip'),
  at: ts('at').notNull().defaultNow(),
});

/** Sign-in attempts of a phone in its current window (0021): a slot is taken before the password is checked. */
/** 0024: the live SMS sign-in code of a phone, with its send limits (docs/channels.md). */
export const smsCodes = pgTable('sms_codes', {
  phone: text('phone').primaryKey(),
  purpose: text('purpose').$type<'login' | 'reset'>().notNull(),
  codeHash: text('code_hash').notNull(),
  expiresAt: ts('expires_at').notNull(),
  tries: integer('tries').notNull().default(0),
  usedAt: ts('used_at'),
  lastSentAt: ts('last_sent_at').notNull(),
  sendDay: date('send_day', { mode: 'string' }).notNull(),
  sendsToday: integer('sends_today').notNull(),
});

/** 0024: codes sent per client address in the current hour. */
export const smsClientSends = pgTable('sms_client_sends', {
  client: text('client').primaryKey(),
  windowStartedAt: ts('window_started_at').notNull(),
  sends: integer('sends').notNull(),
});

/** 0033: messages to SMS / WeChat waiting, sent, skipped or given up (docs/channels.md "Delivery"). */
export const messageOutbox = pgTable('message_outbox', {
  id: uuid('id').primaryKey(),
  eventKey: text('event_key').notNull(),
  userId: uuid('user_id').notNull(),
  channel: text('channel').$type<'sms' | 'wechat'>().notNull(),
  cityCode: text('city_code'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  refType: text('ref_type'),
  refId: uuid('ref_id'),
  status: text('status').$type<'pending' | 'sent' | 'skipped' | 'dead'>().notNull(),
  attempts: integer('attempts').notNull(),
  nextAttemptAt: ts('next_attempt_at').notNull(),
  claimedUntil: ts('claimed_until'),
  lastError: text('last_error'),
  providerId: text('provider_id'),
  sentAt: ts('sent_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** 0033: the notice kinds a person turned off, per channel ('*': every optional kind). */
export const noticeOptOuts = pgTable(
  'notice_opt_outs',
  {
    userId: uuid('user_id').notNull(),
    channel: text('channel').$type<'sms' | 'wechat'>().notNull(),
    kind: text('kind').notNull(),
    source: text('source').$type<'settings' | 'sms_reply'>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channel, t.kind] })],
);

/** 0034: a WeChat openid bound to an account (docs/channels.md "WeChat"). */
export const wechatBindings = pgTable(
  'wechat_bindings',
  {
    appId: text('app_id').notNull(),
    openid: text('openid').notNull(),
    userId: uuid('user_id').notNull(),
    unionid: text('unionid'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.openid] })],
);

/** 0034: the 公众号's access token, shared by every process. */
export const wechatTokens = pgTable('wechat_tokens', {
  appId: text('app_id').primaryKey(),
  accessToken: text('access_token').notNull(),
  expiresAt: ts('expires_at').notNull(),
  fetchedAt: ts('fetched_at').notNull(),
});

/** 0034: an openid waiting for its person to prove their phone. */
export const wechatPendingBinds = pgTable('wechat_pending_binds', {
  ticketHash: text('ticket_hash').primaryKey(),
  appId: text('app_id').notNull(),
  openid: text('openid').notNull(),
  unionid: text('unionid'),
  nickname: text('nickname'),
  expiresAt: ts('expires_at').notNull(),
});

export const loginThrottles = pgTable('login_throttles', {
  phone: text('phone').primaryKey(),
  windowStartedAt: ts('window_started_at').notNull(),
  attempts: integer('attempts').notNull(),
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
  // 0041: 国家级 / 省级 / 市级试点, and 挂牌 (since a date).
  pilotLevel: text('pilot_level').$type<'national' | 'provincial' | 'city'>(),
  plaqued: boolean('plaqued').notNull().default(false),
  plaquedOn: date('plaqued_on', { mode: 'string' }),
});

export const departments = pgTable('departments', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  // 0026: the routing directory (派单目录).
  categories: text('categories').array().notNull().default([]),
  natures: text('natures').array().notNull().default([]),
  keywords: text('keywords').array().notNull().default([]),
  areaOrgId: uuid('area_org_id'),
  contact: text('contact'),
  ackMinutes: integer('ack_minutes'),
  resolveMinutes: integer('resolve_minutes'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
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

/** numeric(…, 1) hours as JS numbers. */
const hoursCol = (name: string) =>
  customType<{ data: number; driverData: string }>({
    dataType: () => 'numeric',
    fromDriver: (v) => Number(v),
    toDriver: (v) => String(v),
  })(name);

export const orgSettings = pgTable('org_settings', {
  cityCode: text('city_code').notNull(),
  orgId: uuid('org_id').notNull(),
  pointsPerHour: integer('points_per_hour'),
  acceptMinutesNormal: integer('accept_minutes_normal'),
  acceptMinutesUrgent: integer('accept_minutes_urgent'),
  acceptMinutesCritical: integer('accept_minutes_critical'),
  // 0009: more earning rules (NULL: inherit from the site above).
  pointsPerActivity: integer('points_per_activity'),
  pointsFiveStarBonus: integer('points_five_star_bonus'),
  pointsPerPairingVisit: integer('points_per_pairing_visit'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const volunteers = pgTable('volunteers', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  userId: uuid('user_id').notNull(),
  orgId: uuid('org_id').notNull(),
  realName: text('real_name').notNull(),
  idNumberEnc: text('id_number_enc').notNull(),
  idNumberHash: text('id_number_hash').notNull(),
  idNumberMasked: text('id_number_masked').notNull(),
  birthYear: integer('birth_year'),
  gender: text('gender').$type<'male' | 'female'>(),
  skills: text('skills').array().notNull(),
  specialties: text('specialties').array().notNull(),
  politicalStatus: text('political_status').$type<'party' | 'league' | 'masses'>().notNull(),
  workUnit: text('work_unit'),
  availability: jsonb('availability').$type<{ weekday: number; period: 'morning' | 'afternoon' | 'evening' }[]>().notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  status: text('status').$type<'active' | 'suspended'>().notNull(),
  statusReason: text('status_reason'),
  totalHours: hoursCol('total_hours').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const teams = pgTable('teams', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  parentTeamId: uuid('parent_team_id'),
  name: text('name').notNull(),
  tier: text('tier').$type<'corps' | 'squad' | 'unit'>().notNull(),
  type: text('type').$type<'party' | 'professional' | 'social'>().notNull(),
  category: text('category').notNull(),
  leaderUserId: uuid('leader_user_id'),
  description: text('description'),
  status: text('status').$type<'active' | 'disbanded'>().notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const teamMembers = pgTable(
  'team_members',
  {
    cityCode: text('city_code').notNull(),
    teamId: uuid('team_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    joinedAt: ts('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.teamId, t.volunteerId] })],
);

export const serviceRecords = pgTable('service_records', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  orgId: uuid('org_id').notNull(),
  teamId: uuid('team_id'),
  sourceType: text('source_type').$type<'activity' | 'order' | 'manual' | 'pairing'>().notNull(),
  sourceId: uuid('source_id').notNull(),
  hours: hoursCol('hours').notNull(),
  startedAt: ts('started_at'),
  endedAt: ts('ended_at'),
  title: text('title'),
  note: text('note'),
  status: text('status').$type<'pending' | 'verified' | 'rejected' | 'revoked'>().notNull().default('pending'),
  createdBy: uuid('created_by'),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
  decisionNote: text('decision_note'),
  createdAt: ts('created_at').notNull().defaultNow(),
  // 0036: the reviewer's reason for verifying an implausible claim of hours.
  overrideReason: text('override_reason'),
  // 0040: records brought in from 全国志愿服务信息系统 (modules/exchange): place, organisation and number there.
  place: text('place'),
  externalOrg: text('external_org'),
  externalRef: text('external_ref'),
});

export const pointsAccounts = pgTable(
  'points_accounts',
  {
    cityCode: text('city_code').notNull(),
    userId: uuid('user_id').notNull(),
    balance: integer('balance').notNull().default(0),
    earned: integer('earned').notNull().default(0),
    spent: integer('spent').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.userId] })],
);

export const pointsLedger = pgTable('points_ledger', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  userId: uuid('user_id').notNull(),
  delta: integer('delta').notNull(),
  reason: text('reason').notNull(),
  sourceType: text('source_type').notNull(),
  sourceId: uuid('source_id').notNull(),
  note: text('note'),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** 0009: the site the points were earned or spent at (null: expiry). */
  orgId: uuid('org_id'),
});

export const serviceItems = pgTable('service_items', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  description: text('description'),
  defaultUrgency: text('default_urgency').$type<'normal' | 'urgent' | 'critical'>().notNull().default('normal'),
  teamIds: uuid('team_ids').array().notNull().default([]),
  status: text('status').$type<'active' | 'retired'>().notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const orderCodeCounters = pgTable(
  'order_code_counters',
  { cityCode: text('city_code').notNull(), day: text('day').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.cityCode, t.day] })],
);

export type OrderStateCol = OrderState;

export const orders = pgTable('orders', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  code: text('code').notNull(),
  orgId: uuid('org_id').notNull(),
  handlingOrgId: uuid('handling_org_id').notNull(),
  requesterId: uuid('requester_id').notNull(),
  title: text('title'),
  content: text('content').notNull(),
  category: text('category').notNull(),
  nature: text('nature').$type<'service' | 'petition' | 'complaint' | 'consult'>().notNull(),
  urgency: text('urgency').$type<'normal' | 'urgent' | 'critical'>().notNull(),
  triage: jsonb('triage').$type<{ category: string; nature: string; urgency: string; confidence: number; lowConfidence?: boolean }>().notNull(),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  preferredAt: ts('preferred_at'),
  serviceItemId: uuid('service_item_id'),
  state: text('state').$type<OrderStateCol>().notNull().default('submitted'),
  assigneeTeamId: uuid('assignee_team_id'),
  assigneeVolunteerId: uuid('assignee_volunteer_id'),
  departmentId: uuid('department_id'),
  acceptDueAt: ts('accept_due_at').notNull(),
  firstAcceptDueAt: ts('first_accept_due_at').notNull(),
  escalationLevel: integer('escalation_level').notNull().default(0),
  remindedAt: ts('reminded_at'),
  dispatchedAt: ts('dispatched_at'),
  acceptedAt: ts('accepted_at'),
  startedAt: ts('started_at'),
  completedAt: ts('completed_at'),
  forwardedAt: ts('forwarded_at'),
  resolvedAt: ts('resolved_at'),
  closedAt: ts('closed_at'),
  report: text('report'),
  reply: text('reply'),
  hours: hoursCol('hours'),
  rating: integer('rating'),
  ratingComment: text('rating_comment'),
  ratedAt: ts('rated_at'),
  rejectReason: text('reject_reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  // 0026: department handling (接诉即办) and stage deadlines.
  ackDueAt: ts('ack_due_at'),
  acknowledgedAt: ts('acknowledged_at'),
  resolveDueAt: ts('resolve_due_at'),
  stageStartedAt: ts('stage_started_at'),
  stageDueAt: ts('stage_due_at'),
  stageRemindedAt: ts('stage_reminded_at'),
  stageEscalatedAt: ts('stage_escalated_at'),
  supervisedAt: ts('supervised_at'),
  supervisionNote: text('supervision_note'),
  disputeCount: integer('dispute_count').notNull().default(0),
  extensionUntil: ts('extension_until'),
  extensionReason: text('extension_reason'),
  coDepartmentIds: uuid('co_department_ids').array().notNull().default([]),
  /** 0041: 服务人次 of a completed order (NULL before 0041: counted as 1). */
  peopleServed: integer('people_served'),
  // 0035: 代点单 — how the request came in and who entered it; pictures taken at 点单.
  channel: text('channel').$type<'app' | 'phone' | 'visit' | 'grid' | 'hotline'>().notNull().default('app'),
  enteredBy: uuid('entered_by'),
  photoIds: uuid('photo_ids').array().notNull().default([]),
});

export const orderEvents = pgTable('order_events', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orderId: uuid('order_id').notNull(),
  at: ts('at').notNull().defaultNow(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  fromState: text('from_state'),
  toState: text('to_state').notNull(),
  note: text('note'),
  data: jsonb('data'),
});

export const orderServers = pgTable(
  'order_servers',
  { cityCode: text('city_code').notNull(), orderId: uuid('order_id').notNull(), volunteerId: uuid('volunteer_id').notNull() },
  (t) => [primaryKey({ columns: [t.cityCode, t.orderId, t.volunteerId] })],
);

export const triageExamples = pgTable('triage_examples', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orderId: uuid('order_id'),
  text: text('text').notNull(),
  category: text('category').notNull(),
  nature: text('nature').notNull(),
  urgency: text('urgency').notNull(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  cityCode: text('city_code'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body'),
  refType: text('ref_type'),
  refId: uuid('ref_id'),
  readAt: ts('read_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Uploaded pictures (0014_uploads.sql); the bytes live in the upload store. */
export const uploads = pgTable('uploads', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  contentType: text('content_type').notNull(),
  byteSize: integer('byte_size').notNull(),
  sha256: text('sha256').notNull(),
  originalName: text('original_name'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 志愿服务记录证明: one row per issued certificate (0005_certificates.sql). */
export const certificates = pgTable('certificates', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  serial: text('serial').notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  issuedBy: uuid('issued_by').notNull(),
  issuedAt: ts('issued_at').notNull().defaultNow(),
  snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
  contentHash: text('content_hash').notNull(),
  revokedAt: ts('revoked_at'),
  revokedBy: uuid('revoked_by'),
  revokedReason: text('revoked_reason'),
});

export const activities = pgTable('activities', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  teamId: uuid('team_id'),
  resourceId: uuid('resource_id'),
  title: text('title').notNull(),
  category: text('category').notNull(),
  description: text('description'),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  geofenceM: integer('geofence_m'),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  signupDeadline: ts('signup_deadline').notNull(),
  volunteerQuota: integer('volunteer_quota').notNull(),
  publicQuota: integer('public_quota').notNull().default(0),
  volunteerRegistered: integer('volunteer_registered').notNull().default(0),
  publicRegistered: integer('public_registered').notNull().default(0),
  partyOnly: boolean('party_only').notNull().default(false),
  teamOnly: boolean('team_only').notNull().default(false),
  adultsOnly: boolean('adults_only').notNull().default(false),
  requiredSkills: text('required_skills').array().notNull().default([]),
  state: text('state').$type<'draft' | 'published' | 'cancelled' | 'finished'>().notNull().default('draft'),
  summary: text('summary'),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  publishedAt: ts('published_at'),
  cancelledAt: ts('cancelled_at'),
  finishedAt: ts('finished_at'),
  /** 0016: pictures, weekly series, the day-before reminder, the report, ratings. */
  photoIds: uuid('photo_ids').array().notNull().default([]),
  seriesId: uuid('series_id'),
  remindedAt: ts('reminded_at'),
  reportPhotoIds: uuid('report_photo_ids').array().notNull().default([]),
  reportPublishedAt: ts('report_published_at'),
  ratingCount: integer('rating_count').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),
  /** 0041: 参与人数 and 服务人次, entered when finishing or reporting. */
  participants: integer('participants'),
  peopleServed: integer('people_served'),
});

/** 0016: one rating per participant and activity. */
export const activityRatings = pgTable(
  'activity_ratings',
  {
    cityCode: text('city_code').notNull(),
    activityId: uuid('activity_id').notNull(),
    userId: uuid('user_id').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cityCode, t.activityId, t.userId] })],
);

export const activitySignups = pgTable('activity_signups', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  activityId: uuid('activity_id').notNull(),
  userId: uuid('user_id').notNull(),
  volunteerId: uuid('volunteer_id'),
  role: text('role').$type<'volunteer' | 'resident'>().notNull(),
  status: text('status').$type<'registered' | 'waitlisted' | 'withdrawn'>().notNull(),
  seq: bigint('seq', { mode: 'number' }),
  checkinAt: ts('checkin_at'),
  checkoutAt: ts('checkout_at'),
  attendanceNote: text('attendance_note'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const resources = pgTable('resources', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  description: text('description'),
  capacity: integer('capacity'),
  quantity: integer('quantity'),
  bookable: boolean('bookable').notNull().default(true),
  requiresApproval: boolean('requires_approval').notNull().default(true),
  openHours: jsonb('open_hours').$type<{ weekday: number; open: string; close: string }[]>().notNull().default([]),
  closedDates: text('closed_dates').array().notNull().default([]),
  slotMinutes: integer('slot_minutes').notNull().default(60),
  maxDaysAhead: integer('max_days_ahead').notNull().default(30),
  maxPerWeek: integer('max_per_week'),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  status: text('status').$type<'active' | 'retired'>().notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
  photoIds: text('photo_ids').array().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const bookings = pgTable('bookings', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  resourceId: uuid('resource_id').notNull(),
  userId: uuid('user_id').notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  exclusive: boolean('exclusive').notNull(),
  quantity: integer('quantity').notNull().default(1),
  purpose: text('purpose').notNull(),
  attendees: integer('attendees').notNull().default(1),
  status: text('status').$type<'pending' | 'approved' | 'rejected' | 'cancelled' | 'checked_in' | 'completed' | 'no_show'>().notNull(),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
  reason: text('reason'),
  checkedInAt: ts('checked_in_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  remindedAt: ts('reminded_at'),
});

export const bookingReviews = pgTable('booking_reviews', {
  cityCode: text('city_code').notNull(),
  bookingId: uuid('booking_id').notNull(),
  resourceId: uuid('resource_id').notNull(),
  userId: uuid('user_id').notNull(),
  score: integer('score').notNull(),
  comment: text('comment'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const rewards = pgTable('rewards', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  pickupOrgId: uuid('pickup_org_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  cost: integer('cost').notNull(),
  stock: integer('stock').notNull(),
  perUserMonthlyLimit: integer('per_user_monthly_limit'),
  availableFrom: ts('available_from'),
  availableTo: ts('available_to'),
  status: text('status').$type<'active' | 'retired'>().notNull().default('active'),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** 0009: upload ids of the reward's pictures (the first is the cover). */
  photoIds: text('photo_ids').array().notNull().default([]),
});

export const redemptions = pgTable('redemptions', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  rewardId: uuid('reward_id').notNull(),
  userId: uuid('user_id').notNull(),
  quantity: integer('quantity').notNull(),
  points: integer('points').notNull(),
  pickupCode: text('pickup_code').notNull(),
  status: text('status').$type<'pending_pickup' | 'fulfilled' | 'cancelled'>().notNull().default('pending_pickup'),
  createdAt: ts('created_at').notNull().defaultNow(),
  fulfilledAt: ts('fulfilled_at'),
  fulfilledBy: uuid('fulfilled_by'),
  cancelledAt: ts('cancelled_at'),
});

export const pointsAdjustments = pgTable('points_adjustments', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  userId: uuid('user_id').notNull(),
  delta: integer('delta').notNull(),
  reason: text('reason').notNull(),
  status: text('status').$type<'pending' | 'approved' | 'rejected'>().notNull().default('pending'),
  requestedBy: uuid('requested_by').notNull(),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Volunteer import jobs (0010_volunteer_import.sql). */
export const volunteerImports = pgTable('volunteer_imports', {
  id: uuid('id').primaryKey(),
  createdBy: uuid('created_by').notNull(),
  fileName: text('file_name').notNull(),
  state: text('state').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  total: integer('total').notNull(),
  processed: integer('processed').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  message: text('message'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});

export const volunteerImportErrors = pgTable(
  'volunteer_import_errors',
  {
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    seq: integer('seq').notNull(),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    rowValues: jsonb('row_values').$type<Record<string, string>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber, t.seq] })],
);

/** Content columns (栏目) and items (0015_content.sql). `search` is a generated column, not written. */
export const contentColumns = pgTable('content_columns', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').$type<'news' | 'policy' | 'lecture' | 'reading'>().notNull(),
  name: text('name').notNull(),
  description: text('description'),
  sort: integer('sort').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const contents = pgTable('contents', {
  cityCode: text('city_code').notNull(),
  id: uuid('id').notNull(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').$type<'news' | 'policy' | 'lecture' | 'reading'>().notNull(),
  columnId: uuid('column_id'),
  title: text('title').notNull(),
  summary: text('summary'),
  bodyHtml: text('body_html').notNull().default(''),
  coverId: uuid('cover_id'),
  mediaUrl: text('media_url'),
  mediaType: text('media_type').$type<'video' | 'audio'>(),
  speaker: text('speaker'),
  authorId: uuid('author_id').notNull(),
  state: text('state').$type<'draft' | 'published' | 'withdrawn'>().notNull().default('draft'),
  publishedAt: ts('published_at'),
  readCount: bigint('read_count', { mode: 'number' }).notNull().default(0),
  titleTokens: text('title_tokens').notNull().default(''),
  bodyTokens: text('body_tokens').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { createAuditRepository } from './audit/audit.repository.ts';
import { createAuthService } from './auth/auth.service.ts';
import { createSessionsRepository } from './auth/sessions.repository.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { createUsersRepository } from './users/users.repository.ts';
import { createUsersService } from './users/users.service.ts';
import { usersRoutes } from './users/users.routes.ts';
import { createOrgsRepository } from './orgs/orgs.repository.ts';
import { createOrgsService } from './orgs/orgs.service.ts';
import { orgsRoutes } from './orgs/orgs.routes.ts';
import { createDepartmentsRepository } from './departments/departments.repository.ts';
import { createDepartmentsService } from './departments/departments.service.ts';
import { departmentsRoutes } from './departments/departments.routes.ts';
import { createCataloguesRepository } from './catalogues/catalogues.repository.ts';
import { cataloguesRoutes } from './catalogues/catalogues.routes.ts';
import { createCataloguesService } from './catalogues/catalogues.service.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { createVolunteersRepository } from './volunteers/volunteers.repository.ts';
import { createVolunteersService } from './volunteers/volunteers.service.ts';
import { volunteersRoutes } from './volunteers/volunteers.routes.ts';
import { createVolunteerBulkRepository } from './volunteers/volunteer-bulk.repository.ts';
import { createVolunteerBulkService } from './volunteers/volunteer-bulk.service.ts';
import { volunteerBulkRoutes } from './volunteers/volunteer-bulk.routes.ts';
import { createExchangeRepository } from './exchange/exchange.repository.ts';
import { createExchangeService } from './exchange/exchange.service.ts';
import { exchangeRoutes } from './exchange/exchange.routes.ts';
import { createTeamsRepository } from './teams/teams.repository.ts';
import { createTeamsService } from './teams/teams.service.ts';
import { teamsRoutes } from './teams/teams.routes.ts';
import { createRecordsRepository } from './records/records.repository.ts';
import { createRecordsService } from './records/records.service.ts';
import { createPointsRepository } from './points/points.repository.ts';
import { createPointsService } from './points/points.service.ts';
import { createPointsEarning } from './points/points.earning.ts';
import { createPii, deriveKey, loadDataKey } from '../lib/pii.ts';
import { loggingChannel, smsChannel, type Channel } from '../lib/channels.ts';
import type { SmsSender } from '../lib/sms/sms.ts';
import { smsFromConfig } from '../lib/sms/from-config.ts';
import { createSmsCodesRepository } from './auth/sms-codes.repository.ts';
import { createProfileRepository } from './auth/profile.repository.ts';
import { safeErr } from '../lib/log-safe.ts';
import { createNotificationsRepository } from './notifications/notifications.repository.ts';
import { createNotificationHub } from './notifications/notification-hub.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { createOutboxRepository } from './notifications/outbox.repository.ts';
import { createWechat, createWechatRepository, wechatRoutes } from './wechat/index.ts';
import { wechatApi, wechatChannel } from '../lib/wechat/wechat.ts';
import { createOutbox } from './notifications/outbox.ts';
import { outboxRoutes, smsReplyRoutes } from './notifications/outbox.routes.ts';
import { createOrdersRepository } from './orders/orders.repository.ts';
import { createOrdersService } from './orders/orders.service.ts';
import { ordersRoutes } from './orders/orders.routes.ts';
import { createServiceItemsRepository } from './orders/service-items.repository.ts';
import { serviceItemsRoutes } from './orders/service-items.routes.ts';
import { createTriage, type Triage } from '../triage/triage.ts';
import { createStatsRepository } from './stats/stats.repository.ts';
import { createActivitiesRepository } from './activities/activities.repository.ts';
import { createActivitiesService } from './activities/activities.service.ts';
import { activitiesRoutes } from './activities/activities.routes.ts';
import { createCheckinCodes } from './activities/checkin-codes.ts';
import { createResourcesRepository } from './resources/resources.repository.ts';
import { createResourcesService } from './resources/resources.service.ts';
import { resourcesRoutes } from './resources/resources.routes.ts';
import { createRewardsRepository } from './rewards/rewards.repository.ts';
import { createRewardsService } from './rewards/rewards.service.ts';
import { rewardsRoutes } from './rewards/rewards.routes.ts';
import { createStatsService } from './stats/stats.service.ts';
import { createEvaluationRepository } from './evaluation/evaluation.repository.ts';
import { createEvaluationService } from './evaluation/evaluation.service.ts';
import { evaluationRoutes } from './evaluation/evaluation.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { createStatsRollupRepository } from './stats/stats-rollup.repository.ts';
import { createStatsLive } from './stats/stats-live.ts';
import { createCertificatesRepository } from './certificates/certificates.repository.ts';
import { createCertificatesService } from './certificates/certificates.service.ts';
import { certificatesRoutes } from './certificates/certificates.routes.ts';
import { createPairingRepository } from './pairing/pairing.repository.ts';
import { createPairingService } from './pairing/pairing.service.ts';
import { pairingRoutes } from './pairing/pairing.routes.ts';
import { createUploadsRepository } from './uploads/uploads.repository.ts';
import { createUploadsService } from './uploads/uploads.service.ts';
import { uploadsRoutes } from './uploads/uploads.routes.ts';
import { uploadStoreFromConfig } from './uploads/upload-store-from-config.ts';
import { createWorkbenchRepository } from './workbench/workbench.repository.ts';
import { createWorkbenchService } from './workbench/workbench.service.ts';
import { workbenchRoutes } from './workbench/workbench.routes.ts';
import { createContentRepository } from './content/content.repository.ts';
import { createContentService } from './content/content.service.ts';
import { contentRoutes } from './content/content.routes.ts';
import { createTrainingRepository } from './training/training.repository.ts';
import { createTrainingService } from './training/training.service.ts';
import { trainingRoutes } from './training/training.routes.ts';
import { createHonoursRepository } from './honours/honours.repository.ts';
import { createHonoursService } from './honours/honours.service.ts';
import { honoursRoutes } from './honours/honours.routes.ts';
import { createJoinRequestsRepository, createOrganisationsRepository, createOrganisationsService, organisationsRoutes } from './organisations/index.ts';

/** Wires repositories and services (dependencies passed in, so tests can swap them). */
export function createModules({
  config,
  database,
  channels,
  sms,
  log,
  clock,
}: {
  config: Config;
  database: Database;
  channels?: Channel[];
  /** The SMS sender (default: the one the settings name, lib/sms/from-config.ts). */
  sms?: SmsSender;
  log?: (line: string) => void;
  /** "Now" for every service (default: the system clock); tests pass one they control. */
  clock?: () => Date;
}) {
  const smsLog = log ?? ((line: string) => (config.LOG_LEVEL === 'silent' ? undefined : console.log(line)));
  const db = database.db;
  const audit = createAuditRepository(db);
  const usersRepo = createUsersRepository(db);
  const volunteersRepo = createVolunteersRepository(db);
  const teamsRepo = createTeamsRepository(db);
  const dataKey = loadDataKey({ dataKey: config.WENMING_DATA_KEY, dataDir: config.DATA_DIR });
  const smsSender = sms ?? smsFromConfig(config, smsLog);
  const auth = createAuthService({
    database,
    users: usersRepo,
    volunteers: volunteersRepo,
    teams: teamsRepo,
    sessions: createSessionsRepository(db),
    sessionTtlMs: config.SESSION_TTL_HOURS * 3600_000,
    activationKey: deriveKey(dataKey, 'activation-codes'),
    smsCodes: createSmsCodesRepository(db),
    sms: smsSender,
    smsCodeKey: deriveKey(dataKey, 'sms-codes'),
    smsClientLimitPerHour: config.SMS_CLIENT_LIMIT_PER_HOUR,
    profile: createProfileRepository(db),
    orgs: createOrgsRepository(db),
    log: (m, e) => (config.LOG_LEVEL === 'silent' ? undefined : console.error(m, safeErr(e))),
    clock,
  });
  const orgsRepo = createOrgsRepository(db);
  const orgs = createOrgsService({ db, orgs: orgsRepo, audit });
  const departmentsRepo = createDepartmentsRepository(db);
  const catalogues = createCataloguesRepository(db);
  const departments = createDepartmentsService({
    db,
    departments: departmentsRepo,
    orgs,
    audit,
    categoryCodes: async () => (await catalogues.categories()).map((c) => c.code),
    clock,
  });
  const users = createUsersService({ db, users: usersRepo, orgs, departments: departmentsRepo, audit });
  const pii = createPii(dataKey);
  const pointsRepo = createPointsRepository(db);
  const volunteers = createVolunteersService({ db, volunteers: volunteersRepo, orgs: orgsRepo, catalogues, audit, pii, users: usersRepo, activation: auth });
  const volunteerBulk = createVolunteerBulkService({
    db,
    bulk: createVolunteerBulkRepository(db),
    volunteers: volunteersRepo,
    orgs: orgsRepo,
    catalogues,
    audit,
    pii,
    log: (m, e) => (config.LOG_LEVEL === 'silent' ? undefined : console.error(m, safeErr(e))),
  });
  const exchange = createExchangeService({
    db,
    exchange: createExchangeRepository(db),
    orgs: orgsRepo,
    volunteers: volunteersRepo,
    audit,
    pii,
    clock: clock ?? (() => new Date()),
  });
  const organisationsRepo = createOrganisationsRepository(db);
  const teams = createTeamsService({
    db,
    teams: teamsRepo,
    orgs: orgsRepo,
    users: usersRepo,
    volunteers: volunteersRepo,
    audit,
    administersTeamsOrganisation: async (userId, cityCode, teamId) => {
      const organisationId = await organisationsRepo.organisationOfTeam(cityCode, teamId);
      return !!organisationId && (await organisationsRepo.isAdmin(cityCode, organisationId, userId));
    },
  });
  const earning = createPointsEarning({ points: pointsRepo, clock });
  const records = createRecordsService({
    db,
    records: createRecordsRepository(db),
    volunteers: volunteersRepo,
    volunteersService: volunteers,
    teams: teamsRepo,
    orgs: orgsRepo,
    points: pointsRepo,
    audit,
    earning,
  });
  const points = createPointsService({ db, points: pointsRepo, orgs: orgsRepo, audit, clock });
  const notificationsRepo = createNotificationsRepository(db);
  const hub = createNotificationHub(database, notificationsRepo);
  // WeChat 公众号 when configured (docs/channels.md "WeChat").
  const wechatRepo = createWechatRepository(db);
  const wechat =
    config.WECHAT_APP_ID && config.WECHAT_APP_SECRET
      ? createWechat({
          api: wechatApi({
            appId: config.WECHAT_APP_ID,
            appSecret: config.WECHAT_APP_SECRET,
            apiBase: config.WECHAT_API_BASE,
            openBase: config.WECHAT_OPEN_BASE,
          }),
          repo: wechatRepo,
          auth,
          userById: (id) => usersRepo.byId(id),
          clock,
        })
      : null;
  const wechatSender = wechat
    ? wechatChannel(wechat.api, wechat.tokens, {
        order: config.WECHAT_TEMPLATE_ORDER,
        booking: config.WECHAT_TEMPLATE_BOOKING,
        activity: config.WECHAT_TEMPLATE_ACTIVITY,
      })
    : loggingChannel('wechat', smsLog);
  // SMS / WeChat messages leave through the outbox (docs/channels.md "Delivery").
  const outboxRepo = createOutboxRepository(db);
  const outbox = createOutbox({
    outbox: outboxRepo,
    channels: channels ?? [smsChannel(smsSender, smsLog), wechatSender],
    wechatAppId: config.WECHAT_APP_ID ?? null,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    clock,
    log: smsLog,
    linkFor: (refType, refId) => {
      if (!refId || !config.PUBLIC_BASE_URL) return null;
      const paths: Record<string, string> = { order: `/h5/orders/${refId}`, activity: `/h5/activities/${refId}`, booking: '/h5/bookings' };
      const path = refType ? paths[refType] : undefined;
      return path ? `${config.PUBLIC_BASE_URL}${path}` : null;
    },
  });
  const ordersRepo = createOrdersRepository(db);
  const items = createServiceItemsRepository(db);
  // Trained on first use from the corpus plus the dispatchers' stored corrections and the
  // catalogue's keywords (custom categories); trained again after a category changes.
  let triage: Promise<Triage> | null = null;
  const loadTriage = async () => {
    const [extra, categories] = await Promise.all([ordersRepo.triageExamples(), catalogues.categories()]);
    return createTriage(extra, { categories });
  };
  const orders = createOrdersService({
    db,
    orders: ordersRepo,
    orgs: orgsRepo,
    users: usersRepo,
    teams: teamsRepo,
    volunteers: volunteersRepo,
    departments: departmentsRepo,
    records,
    notifications: notificationsRepo,
    catalogues,
    items,
    triage: () => (triage ??= loadTriage()),
    outbox,
    earning,
    audit,
    clock,
  });

  const uploadsRepo = createUploadsRepository(db);
  const training = createTrainingService({
    db,
    training: createTrainingRepository(db),
    orgs: orgsRepo,
    volunteers: volunteersRepo,
    volunteersService: volunteers,
    notifications: notificationsRepo,
    audit,
    codes: createCheckinCodes(deriveKey(dataKey, 'training-checkin-codes')),
    clock,
  });
  const honours = createHonoursService({
    db,
    honours: createHonoursRepository(db),
    orgs: orgsRepo,
    teams: teamsRepo,
    volunteers: volunteersRepo,
    volunteersService: volunteers,
    notifications: notificationsRepo,
    audit,
    clock,
  });
  const activities = createActivitiesService({
    db,
    activities: createActivitiesRepository(db),
    orgs: orgsRepo,
    teams: teamsRepo,
    volunteers: volunteersRepo,
    records,
    notifications: notificationsRepo,
    catalogues,
    audit,
    codes: createCheckinCodes(deriveKey(dataKey, 'checkin-codes')),
    uploads: uploadsRepo,
    missingQualifications: training.missingQualifications,
    clock,
  });
  const resources = createResourcesService({ db, resources: createResourcesRepository(db), orgs: orgsRepo, notifications: notificationsRepo, audit, clock });
  const rewards = createRewardsService({ db, rewards: createRewardsRepository(db), points: pointsRepo, orgs: orgsRepo, audit, users: usersRepo, clock });
  const statsRepo = createStatsRepository(db);
  const statsRollup = createStatsRollupRepository(db);
  const categoryList = async () => (await catalogues.categories()).map((c) => ({ code: c.code, name: c.name }));
  const stats = createStatsService({ stats: statsRepo, rollup: statsRollup, orgs: orgsRepo, categories: categoryList, clock, freshMs: config.STATS_FRESH_MS });
  const statsLive = createStatsLive({ stats: statsRepo, cities: () => statsRollup.cities(), categories: categoryList, clock });
  const pairing = createPairingService({
    db,
    pairing: createPairingRepository(db),
    orgs: orgsRepo,
    volunteers: volunteersRepo,
    records,
    notifications: notificationsRepo,
    audit,
    clock,
  });
  const evaluation = createEvaluationService({ db, repo: createEvaluationRepository(db), orgs: orgsRepo, audit, clock });
  const uploads = createUploadsService({
    uploads: uploadsRepo,
    store: uploadStoreFromConfig(config),
    maxImageBytes: config.UPLOAD_IMAGE_MAX_BYTES,
    log: (m, e) => (config.LOG_LEVEL === 'silent' ? undefined : console.error(m, safeErr(e))),
  });
  const content = createContentService({ db, content: createContentRepository(db), orgs, orgsRepo, uploads: uploadsRepo, audit });
  const organisations = createOrganisationsService({
    db,
    organisations: organisationsRepo,
    joinRequests: createJoinRequestsRepository(db),
    notifications: notificationsRepo,
    orgs: orgsRepo,
    teams: teamsRepo,
    volunteers: volunteersRepo,
    users: usersRepo,
    audit,
    categoryCodes: async () => (await catalogues.categories()).map((c) => c.code),
    clock,
  });

  return {
    auth,
    orgs,
    departments,
    users,
    audit,
    volunteers,
    teams,
    records,
    points,
    pointsRepo,
    volunteersRepo,
    volunteerBulk,
    orders,
    ordersRepo,
    activities,
    resources,
    pairing,
    evaluation,
    uploads,
    content,
    training,
    honours,
    organisations,
    hub,
    outbox,
    /** WeChat 公众号 sign-in and its shared access token (null when not configured). */
    wechat,
    stats,
    statsLive,
    /** Retrains the triage from the corpus and all stored corrections. */
    async retrainTriage() {
      const next = await loadTriage();
      triage = Promise.resolve(next);
      return next.size;
    },
    registerRoutes(app: FastifyInstance) {
      authRoutes(app, { auth, config });
      usersRoutes(app, { users });
      orgsRoutes(app, { orgs });
      departmentsRoutes(app, { departments });
      cataloguesRoutes(app, {
        catalogues,
        manage: createCataloguesService({
          db,
          catalogues,
          audit,
          changed: () => {
            triage = null;
          },
        }),
        publicBaseUrl: config.PUBLIC_BASE_URL,
      });
      auditRoutes(app, { audit });
      volunteersRoutes(app, { volunteers, records, points });
      volunteerBulkRoutes(app, { bulk: volunteerBulk });
      exchangeRoutes(app, { exchange });
      teamsRoutes(app, { teams });
      ordersRoutes(app, { orders });
      serviceItemsRoutes(app, { db, items, orgs: orgsRepo, teams: teamsRepo, audit });
      notificationsRoutes(app, { hub, notifications: notificationsRepo });
      outboxRoutes(app, { outbox: outboxRepo, clock, wechatBound: wechat ? (userId) => wechat.isBound(userId) : undefined });
      wechatRoutes(app, { wechat, config });
      smsReplyRoutes(app, {
        outbox: outboxRepo,
        secret: config.SMS_REPLY_SECRET,
        userIdByPhone: async (phone) => (await usersRepo.byPhone(phone))?.id ?? null,
        clock,
        log: smsLog,
      });
      statsRoutes(app, { stats, live: statsLive, orgs: orgsRepo });
      evaluationRoutes(app, { evaluation });
      activitiesRoutes(app, { activities });
      resourcesRoutes(app, { resources });
      rewardsRoutes(app, { rewards, points });
      pairingRoutes(app, { pairing });
      uploadsRoutes(app, { uploads });
      contentRoutes(app, { content });
      trainingRoutes(app, { training });
      honoursRoutes(app, { honours });
      organisationsRoutes(app, { organisations });
      workbenchRoutes(app, { workbench: createWorkbenchService({ workbench: createWorkbenchRepository(db), clock }) });
      certificatesRoutes(app, {
        certificates: createCertificatesService({ db, certificates: createCertificatesRepository(db), volunteersService: volunteers, audit, clock }),
      });
    },
    async close() {
      await hub.stop();
      await statsLive.stop();
    },
  };
}

export type Modules = ReturnType<typeof createModules>;

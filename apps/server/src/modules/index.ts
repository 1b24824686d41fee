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
import { auditRoutes } from './audit/audit.routes.ts';

/** Wires repositories and services (dependencies passed in, so tests can swap them). */
export function createModules({ config, database }: { config: Config; database: Database }) {
  const db = database.db;
  const audit = createAuditRepository(db);
  const usersRepo = createUsersRepository(db);
  const auth = createAuthService({
    database,
    users: usersRepo,
    sessions: createSessionsRepository(db),
    sessionTtlMs: config.SESSION_TTL_HOURS * 3600_000,
  });
  const orgs = createOrgsService({ db, orgs: createOrgsRepository(db), audit });
  const departmentsRepo = createDepartmentsRepository(db);
  const departments = createDepartmentsService({ db, departments: departmentsRepo, orgs, audit });
  const users = createUsersService({ db, users: usersRepo, orgs, departments: departmentsRepo, audit });
  const catalogues = createCataloguesRepository(db);

  return {
    auth,
    orgs,
    departments,
    users,
    audit,
    registerRoutes(app: FastifyInstance) {
      authRoutes(app, { auth, config });
      usersRoutes(app, { users });
      orgsRoutes(app, { orgs });
      departmentsRoutes(app, { departments });
      cataloguesRoutes(app, { catalogues });
      auditRoutes(app, { audit });
    },
    async close() {},
  };
}

export type Modules = ReturnType<typeof createModules>;

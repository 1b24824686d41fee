// The organisations module (志愿服务组织) as other modules reach it: the repository (organisations
// of a city, their teams and members, who administers them) and the service. Projects (志愿服务项目)
// build on `organisations` (id, city_code) through these.
export { createOrganisationsRepository } from './organisations.repository.ts';
export type { OrganisationRow, OrganisationsRepository } from './organisations.repository.ts';
export { createJoinRequestsRepository } from './join-requests.repository.ts';
export type { JoinRequestRow, JoinRequestsRepository } from './join-requests.repository.ts';
export { createOrganisationsService } from './organisations.service.ts';
export type { OrganisationsService, OrganisationsDeps } from './organisations.service.ts';
export { organisationsRoutes } from './organisations.routes.ts';

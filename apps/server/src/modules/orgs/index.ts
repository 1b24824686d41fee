// The orgs module as other modules reach it: the tree, and narrowing a staff scope to one org.
export { narrowToOrg } from './org-filter.ts';
export type { OrgRow, OrgsRepository } from './orgs.repository.ts';
export type { OrgsService } from './orgs.service.ts';

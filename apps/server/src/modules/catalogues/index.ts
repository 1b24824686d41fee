// The catalogues module (categories, skills, resource types) as other modules reach it.
export type { createCataloguesRepository } from './catalogues.repository.ts';
export type { CataloguesService } from './catalogues.service.ts';

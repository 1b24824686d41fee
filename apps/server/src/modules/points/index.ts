// The points module as other modules reach it.
export { createPointsEarning, type EarningRecord, type PointsEarning } from './points.earning.ts';
export { createPointsRepository, type LedgerEntry, type PointsRepository } from './points.repository.ts';
export type { PointsService } from './points.service.ts';

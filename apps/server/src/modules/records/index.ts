// The records module (service hours) as other modules reach it.
export type { RecordsService } from './records.service.ts';

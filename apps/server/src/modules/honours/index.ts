// The honours module as other modules reach it.
export type { HonoursService } from './honours.service.ts';

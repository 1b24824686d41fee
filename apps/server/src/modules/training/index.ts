// The training module as other modules reach it.
export type { TrainingService } from './training.service.ts';

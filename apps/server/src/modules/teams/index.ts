// The teams module as other modules reach it.
export type { TeamRow, TeamsRepository } from './teams.repository.ts';

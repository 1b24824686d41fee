// The volunteers module as other modules reach it.
export type { VolunteerRow, VolunteersRepository } from './volunteers.repository.ts';
export type { VolunteersService } from './volunteers.service.ts';

// The users module as other modules reach it.
export { presentMe } from './users.presenter.ts';
export type { UserRow, UsersRepository } from './users.repository.ts';
export { deskHoldersOf } from './users.repository.ts';

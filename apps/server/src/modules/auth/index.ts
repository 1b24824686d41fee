// The auth module as other modules reach it.
export type { AuthService, SessionInfo } from './auth.service.ts';

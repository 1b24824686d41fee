// The audit module as other modules reach it: the log every staff change is written to.
export type { AuditEntry, AuditRepository } from './audit.repository.ts';
export { createAuditRepository } from './audit.repository.ts';

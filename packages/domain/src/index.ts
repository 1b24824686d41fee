export * from './org-levels.ts';
export * from './id-number.ts';
export * from './phone.ts';
export * from './volunteers.ts';
export * from './orders.ts';
export * from './matching.ts';
export * from './triage/index.ts';

export * from './errors.ts';
export * from './i18n.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './orgs.ts';
export * from './catalogues.ts';
export * from './volunteers.ts';
export * from './orders.ts';

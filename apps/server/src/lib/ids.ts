import { v7 } from 'uuid';

/** Globally unique, time-ordered ids (UUID v7): good index locality, safe across shards. */
export const newId = (): string => v7();

/** ltree label for an org id: its hex digits (labels allow [A-Za-z0-9_]). */
export const ltreeLabel = (id: string): string => id.replace(/-/g, '');

export const idFromLabel = (label: string): string =>
  `${label.slice(0, 8)}-${label.slice(8, 12)}-${label.slice(12, 16)}-${label.slice(16, 20)}-${label.slice(20)}`;

import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** For tests and tools: resolves when the job's background work ends. */
export function importSettled(deps: VolunteerBulkKit, id: string): Promise<void> {
  const { running } = deps;
  return running.get(id) ?? Promise.resolve();
}

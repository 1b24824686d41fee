import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** Stops taking new batches and waits for the running imports (on shutdown). */
export async function drainImports(deps: VolunteerBulkKit) {
  const { shutdown, running } = deps;
  shutdown.stopping = true;
  await Promise.allSettled([...running.values()]);
}

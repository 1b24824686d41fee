/**
 * Periodic jobs of this process. Each job is safe to run in many processes at once (rows are
 * claimed in the database with FOR UPDATE SKIP LOCKED), so every server process runs them.
 */
export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export function startJobs(jobs: Job[], log: (msg: string, err?: unknown) => void) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  for (const job of jobs) {
    const tick = async () => {
      if (running.has(job.name)) return;
      running.add(job.name);
      try {
        await job.run();
      } catch (e) {
        log(`job ${job.name} failed`, e);
      } finally {
        running.delete(job.name);
      }
    };
    timers.push(setInterval(() => void tick(), job.everyMs));
  }
  return async () => {
    for (const t of timers) clearInterval(t);
    while (running.size) await new Promise((r) => setTimeout(r, 20));
  };
}

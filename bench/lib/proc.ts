/** Resident set size of a process from /proc/<pid>/status (Linux), in MiB. */
import fs from 'node:fs';

function field(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: field(s, 'VmRSS'), peak: field(s, 'VmHWM') };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/**
 * Watches a process's peak RSS over a phase: resets the kernel's high-water mark (clear_refs 5)
 * when it may, and samples VmRSS every 100 ms besides (the fallback when it may not).
 */
export function watchMemory(pid: number) {
  let reset = false;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    reset = true;
  } catch {
    reset = false;
  }
  const start = memoryOf(pid).rss;
  let sampled = start;
  const timer = setInterval(() => {
    const r = memoryOf(pid).rss;
    if (r > sampled) sampled = r;
  }, 100);
  return {
    start,
    stop(): { start: number; peak: number; end: number } {
      clearInterval(timer);
      const m = memoryOf(pid);
      const peak = reset && Number.isFinite(m.peak) ? Math.max(m.peak, sampled) : Math.max(sampled, m.rss);
      return { start, peak, end: m.rss };
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

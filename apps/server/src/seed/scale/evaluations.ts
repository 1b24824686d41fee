import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { createModules } from '../../modules/index.ts';
import type { World } from './world.ts';

/** The last `months` closed months before `now`, oldest first, as YYYY-MM (China time). */
export function closedMonths(now: number, months: number): string[] {
  const china = new Date(now + 8 * 3_600_000);
  const out: string[] = [];
  for (let k = months; k >= 1; k--) {
    const d = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - k, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * The evaluation of every site (阵地评估) for the last closed months, computed by the app's own
 * use case as the city's admin after the load: the rankings, scores and diagnoses are exactly
 * what the product makes of the generated facts. Returns the periods and the results written.
 */
export async function computeEvaluations(database: Database, w: World, months: number, dataKey: Buffer): Promise<{ periods: string[]; results: number }> {
  if (months <= 0) return { periods: [], results: 0 };
  const config = { ...loadConfig({}), LOG_LEVEL: 'silent' as const, WENMING_DATA_KEY: dataKey.toString('base64') };
  const modules = createModules({ config, database });
  const periods = closedMonths(w.now, months);
  try {
    const actor = await modules.auth.actorOf(w.cityAdmin.userId);
    if (!actor) throw new Error('市级管理员账号不存在，无法计算评估');
    const ctx = { actor, ip: '127.0.0.1', requestId: 'seed-scale' };
    for (const period of periods) await modules.evaluation.compute(ctx, { period, orgId: w.orgs[w.cityIdx]!.id });
  } finally {
    await modules.close();
  }
  const [row] = await database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM evaluation_results WHERE city_code = $1 AND period = ANY($2)', [
    w.city,
    periods,
  ]);
  return { periods, results: Number(row?.n ?? 0) };
}

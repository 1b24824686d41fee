import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { createModules } from '../../modules/index.ts';
import { createAuditRepository } from '../../modules/audit/audit.repository.ts';
import { createCertificatesRepository } from '../../modules/certificates/certificates.repository.ts';
import { createCertificatesService } from '../../modules/certificates/certificates.service.ts';
import { volunteerId, volunteerUserId, type World } from './world.ts';

/**
 * Service certificates (志愿服务记录证明) for a sample of the volunteers with the most hours,
 * issued by the app's own use case after the load, so each snapshot and its hash are exactly what
 * the product computes from the generated records.
 */
export async function issueSampleCertificates(database: Database, w: World, hoursTenths: Int32Array, count: number, dataKey: Buffer): Promise<number> {
  if (count <= 0) return 0;
  // Volunteers with at least 100 hours (a star), spread over the city.
  const candidates: number[] = [];
  for (let i = 0; i < w.sizes.volunteers; i++) if (hoursTenths[i]! >= 1000) candidates.push(i);
  const pool = candidates.length ? candidates : Array.from({ length: w.sizes.volunteers }, (_, i) => i).filter((i) => hoursTenths[i]! > 0);
  if (!pool.length) return 0;
  const step = Math.max(1, Math.floor(pool.length / count));
  const config = { ...loadConfig({}), LOG_LEVEL: 'silent' as const, WENMING_DATA_KEY: dataKey.toString('base64') };
  const modules = createModules({ config, database });
  const certificates = createCertificatesService({
    db: database.db,
    certificates: createCertificatesRepository(database.db),
    volunteersService: modules.volunteers,
    audit: createAuditRepository(database.db),
  });
  let n = 0;
  try {
    for (let k = 0; k < pool.length && n < count; k += step) {
      const v = pool[k]!;
      const actor = await modules.auth.actorOf(volunteerUserId(w, v));
      if (!actor) continue;
      await certificates.issue({ actor, ip: '127.0.0.1', requestId: 'seed-scale' }, volunteerId(w, v), '');
      n++;
    }
  } finally {
    await modules.close();
  }
  return n;
}

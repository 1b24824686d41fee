import { orgs as orgsTable } from '../../../db/schema.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../../lib/policy.ts';
import { buildTemplate } from '../volunteer-sheets.ts';
import type { VolunteerBulkKit } from '../volunteer-bulk-kit.ts';

/** The .xlsx template: the columns, a sample row, instructions, the caller's sites and the skills. */
export async function downloadTemplate(deps: VolunteerBulkKit, ctx: RequestCtx): Promise<Buffer> {
  const { bulk } = deps;
  const actor = requireActor(ctx);
  const scope = assertStaff(actor);
  const limit = 3000;
  const sites = await bulk.sitesInScope(scopeCondition(scope, orgsTable.cityCode, orgsTable.path), limit + 1);
  const categories = (await deps.catalogues.categories()).map((c) => ({ code: c.code, name: c.name }));
  const sample = sites.find((s) => s.level === 'station') ?? sites[0];
  return buildTemplate({
    sites: sites.slice(0, limit),
    sitesTruncated: sites.length > limit,
    categories,
    sampleSite: sample?.name ?? '师范街社区新时代文明实践站',
  });
}

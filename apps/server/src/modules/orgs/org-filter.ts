import { forbidden, notFound } from '../../lib/errors.ts';
import { inScope, type Scope } from '../../lib/policy.ts';
import type { OrgsRepository } from './orgs.repository.ts';

/**
 * A list's `orgId` filter, checked against the caller's scope: the org's path (to filter its
 * subtree) and the scope narrowed to it. No filter: the scope as it is.
 */
export async function narrowToOrg(orgs: OrgsRepository, scope: Scope, orgId: string | undefined): Promise<{ orgPath?: string; scope: Scope }> {
  if (!orgId) return { scope };
  const org = await orgs.byId(orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  if (!inScope(scope, { cityCode: org.cityCode, path: org.path })) throw forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
  return { orgPath: org.path, scope: { all: false, subtrees: [{ cityCode: org.cityCode, path: org.path }] } };
}

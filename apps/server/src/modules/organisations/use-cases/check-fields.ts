import { isValidCreditCode } from '@wenming/domain';
import { validationFailed } from '../../../lib/errors.ts';
import type { OrganisationsKit } from '../organisations-kit.ts';

/**
 * The checks a schema cannot make: the credit code's check character (GB 32100-2015), categories
 * from the catalogue, and a service area of existing sites in the organisation's city. Returns the
 * service area without repeats (undefined when not given).
 */
export async function checkOrganisationFields(
  deps: OrganisationsKit,
  cityCode: string,
  body: { creditCode?: string; categories?: string[]; serviceOrgIds?: string[] },
): Promise<string[] | undefined> {
  if (body.creditCode !== undefined && !isValidCreditCode(body.creditCode))
    throw validationFailed('creditCode', { zh: '统一社会信用代码校验位不正确，请核对', en: 'The check character of the unified social credit code is wrong' });
  if (body.categories?.length) {
    const known = new Set(await deps.categoryCodes());
    if (body.categories.some((c) => !known.has(c))) throw validationFailed('categories', { zh: '无效的服务类别', en: 'Invalid category code' });
  }
  if (body.serviceOrgIds === undefined) return undefined;
  const ids = [...new Set(body.serviceOrgIds)];
  const found = await deps.organisations.sitesIn(cityCode, ids);
  if (found.length !== ids.length)
    throw validationFailed('serviceOrgIds', { zh: '服务区域中有本市不存在的阵地', en: 'The service area names a site not in this city' });
  return ids;
}

import { and, eq, type AnyColumn, type SQL } from 'drizzle-orm';
import { cityOfId } from '../lib/ids.ts';

/**
 * `id = $id`, and `city_code = <the id's city>` when the id carries one (`newCityId`): a lookup by
 * id that Citus sends to one shard group. For an id without a city (rows made before, or by the
 * scale generator's own ids) it is the plain match, which runs on every shard there.
 */
export function idMatch(cols: { id: AnyColumn; cityCode: AnyColumn }, id: string): SQL {
  const city = cityOfId(id);
  return city ? and(eq(cols.cityCode, city), eq(cols.id, id))! : eq(cols.id, id);
}

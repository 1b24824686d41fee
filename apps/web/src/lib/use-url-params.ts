import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { staffHomeOrgOf } from './session';

export type ParamPatch = Record<string, string | null | undefined>;

/**
 * A page's filters kept in its address, so a filtered list can be shared, reloaded and returned
 * to. `set` changes several parameters at once (null, undefined or '' removes one) and replaces
 * the history entry: flipping filters should not fill the back button.
 */
export function useUrlParams(): [URLSearchParams, (patch: ParamPatch) => void] {
  const [params, setParams] = useSearchParams();
  const set = (patch: ParamPatch) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null || v === undefined || v === '') n.delete(k);
          else n.set(k, v);
        }
        return n;
      },
      { replace: true },
    );
  return [params, set];
}

/**
 * The site filter of a staff list, kept in the address as `org`. Without one the list opens on
 * the caller's own site; clearing the picker means every site in scope (and stays so until the
 * page is left, though the address then has no `org`).
 */
export function useOrgParam(me: MeDto): [string | undefined, (id: string | undefined) => void] {
  const [params, set] = useUrlParams();
  const [orgId, setOrgId] = useState<string | undefined>(() => params.get('org') ?? staffHomeOrgOf(me));
  return [
    orgId,
    (id) => {
      setOrgId(id);
      set({ org: id });
    },
  ];
}

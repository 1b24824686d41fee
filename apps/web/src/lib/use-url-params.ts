import { useSearchParams } from 'react-router-dom';

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

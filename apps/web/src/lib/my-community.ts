import { useCallback, useEffect, useState } from 'react';
import type { OrgDto } from '@wenming/contracts';
import { placeName } from './site-names';
import { useDistrictOf } from './sites';
import { loadJson, saveJson } from './storage';

export interface Community {
  id: string;
  name: string;
  pathNames: string[];
  address: string | null;
  /** Kept since the order page: older choices on a device may lack them. */
  lat?: number | null;
  lng?: number | null;
}

const keyOf = (userId: string) => `wenming.community.${userId}`;
const EVENT = 'wenming:community';

/**
 * The community station the resident picked, remembered on this device for this account. Pages
 * open at the same time (home, 点单) hear of a change at once.
 */
export function useMyCommunity(userId: string) {
  const [community, setState] = useState<Community | null>(() => loadJson<Community>(keyOf(userId)));
  useEffect(() => {
    const on = () => setState(loadJson<Community>(keyOf(userId)));
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, [userId]);
  const setCommunity = useCallback(
    (org: OrgDto | null) => {
      const c: Community | null = org ? { id: org.id, name: org.name, pathNames: org.pathNames, address: org.address, lat: org.lat, lng: org.lng } : null;
      saveJson(keyOf(userId), c);
      setState(c);
      window.dispatchEvent(new Event(EVENT));
    },
    [userId],
  );
  return { community, setCommunity };
}

/**
 * What an H5 list near me shows: my community's district, unless `everywhere` was asked for or
 * no community is picked yet. `ready` is false while the district is still being looked up (the
 * list waits, rather than showing everything for a moment); `areaName` is how the bar names it.
 */
export function useAreaScope(userId: string, everywhere: boolean) {
  const { community, setCommunity } = useMyCommunity(userId);
  const district = useDistrictOf(community);
  const scoped = !!community && !everywhere;
  return {
    community,
    setCommunity,
    scoped,
    ready: !scoped || !district.isPending,
    /** The district center to filter by (undefined: every district). */
    districtId: scoped ? (district.data?.id ?? undefined) : undefined,
    areaName: district.data ? placeName(district.data.name) : community ? placeName(community.pathNames[1] ?? community.name) : '',
  };
}

import { useCallback, useEffect, useState } from 'react';
import type { MeDto, OrgDto, Page } from '@wenming/contracts';
import { api } from './api-client';
import { useMe, useSetMe } from './session';
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
 * The community station the resident picked. It belongs to the account (PATCH /me, issue 17), so
 * a second phone or a cleared WeChat cache finds it again; this device keeps a copy with the
 * site's details for the pages that need them at once. A choice made on a device before the
 * server kept it is handed to the server the first time. Pages open at the same time (home, 点单)
 * hear of a change at once.
 */
export function useMyCommunity(userId: string) {
  const me = useMe();
  const setMe = useSetMe();
  const [community, setState] = useState<Community | null>(() => loadJson<Community>(keyOf(userId)));
  useEffect(() => {
    const on = () => setState(loadJson<Community>(keyOf(userId)));
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, [userId]);

  const keep = useCallback(
    (c: Community | null) => {
      saveJson(keyOf(userId), c);
      setState(c);
      window.dispatchEvent(new Event(EVENT));
    },
    [userId],
  );

  const serverId = me.data && me.data.id === userId ? me.data.homeOrgId : undefined;
  const serverName = me.data?.homeOrgName ?? null;
  useEffect(() => {
    if (serverId === undefined) return;
    const local = loadJson<Community>(keyOf(userId));
    if (serverId === null) {
      // Chosen on this device before the account kept it: tell the server once.
      if (local) void api<MeDto>('/me', { method: 'PATCH', body: { homeOrgId: local.id } }).then(setMe, () => undefined);
      return;
    }
    if (local?.id === serverId || !serverName) return;
    // Chosen on another device: fetch the site's details by its name and keep them here.
    let live = true;
    void api<Page<OrgDto>>('/sites', { query: { q: serverName, limit: 50 } }).then(
      (r) => {
        const org = r.items.find((o) => o.id === serverId);
        if (live && org) keep({ id: org.id, name: org.name, pathNames: org.pathNames, address: org.address, lat: org.lat, lng: org.lng });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [serverId, serverName, userId, keep, setMe]);

  const setCommunity = useCallback(
    (org: OrgDto | null) => {
      keep(org ? { id: org.id, name: org.name, pathNames: org.pathNames, address: org.address, lat: org.lat, lng: org.lng } : null);
      void api<MeDto>('/me', { method: 'PATCH', body: { homeOrgId: org?.id ?? null } }).then(setMe, () => undefined);
    },
    [keep, setMe],
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

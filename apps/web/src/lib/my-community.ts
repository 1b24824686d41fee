import { useCallback, useState } from 'react';
import type { OrgDto } from '@wenming/contracts';
import { loadJson, saveJson } from '../../../lib/storage';

export interface Community {
  id: string;
  name: string;
  pathNames: string[];
  address: string | null;
}

const keyOf = (userId: string) => `wenming.community.${userId}`;

/** The community station the resident picked, remembered on this device for this account. */
export function useMyCommunity(userId: string) {
  const [community, setState] = useState<Community | null>(() => loadJson<Community>(keyOf(userId)));
  const setCommunity = useCallback(
    (org: OrgDto | null) => {
      const c = org ? { id: org.id, name: org.name, pathNames: org.pathNames, address: org.address } : null;
      saveJson(keyOf(userId), c);
      setState(c);
    },
    [userId],
  );
  return { community, setCommunity };
}

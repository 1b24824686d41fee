import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MeDto } from '@wenming/contracts';
import { api } from './api-client';
import { useMe, useSetMe } from './session';
import { loadJson, saveJson } from './storage';

const KEY = 'wenming.elderlyMode';

interface ElderlyMode {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
}

const Ctx = createContext<ElderlyMode>({ enabled: false, setEnabled: () => {} });

/**
 * 长辈模式 (适老化): larger type and targets and higher contrast, applied to the whole app —
 * through the antd theme (see app/providers) and the `elderly` class on <html>. It belongs to the
 * account (PATCH /me, issue 19), so the next phone the person signs in on finds it on; this device
 * keeps a copy for the pages before sign-in and the first paint.
 */
export function ElderlyModeProvider({ children }: { children: ReactNode }) {
  const [enabled, setState] = useState<boolean>(() => loadJson<boolean>(KEY) === true);
  const me = useMe();
  const setMe = useSetMe();
  const signedIn = !!me.data;
  const account = me.data?.elderMode;
  useEffect(() => {
    // The account's choice wins over this device's.
    if (typeof account !== 'boolean') return;
    saveJson(KEY, account ? true : null);
    setState(account);
  }, [account]);
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', enabled);
  }, [enabled]);
  const setEnabled = useCallback(
    (on: boolean) => {
      saveJson(KEY, on ? true : null);
      setState(on);
      if (signedIn) void api<MeDto>('/me', { method: 'PATCH', body: { elderMode: on } }).then(setMe, () => undefined);
    },
    [signedIn, setMe],
  );
  const value = useMemo(() => ({ enabled, setEnabled }), [enabled, setEnabled]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useElderlyMode(): ElderlyMode {
  return useContext(Ctx);
}

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadJson, saveJson } from './storage';

const KEY = 'wenming.elderlyMode';

interface ElderlyMode {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
}

const Ctx = createContext<ElderlyMode>({ enabled: false, setEnabled: () => {} });

/**
 * 长辈模式 (适老化): larger type and higher contrast, remembered on this device and applied to
 * the whole app — through the antd theme (see app/providers) and the `elderly` class on <html>.
 */
export function ElderlyModeProvider({ children }: { children: ReactNode }) {
  const [enabled, setState] = useState<boolean>(() => loadJson<boolean>(KEY) === true);
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', enabled);
  }, [enabled]);
  const setEnabled = useCallback((on: boolean) => {
    saveJson(KEY, on ? true : null);
    setState(on);
  }, []);
  const value = useMemo(() => ({ enabled, setEnabled }), [enabled, setEnabled]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useElderlyMode(): ElderlyMode {
  return useContext(Ctx);
}

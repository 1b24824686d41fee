import { useEffect, useLayoutEffect, useState } from 'react';

/** The big screen's stage: drawn at 1920×1080 and scaled to the window. */
export const STAGE_W = 1920;
export const STAGE_H = 1080;

/** The current time, ticking every `ms`. */
export function useNow(ms: number) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

/** Scales the 1920×1080 stage to the window, keeping its proportions. */
export function useStageScale() {
  const [scale, setScale] = useState(1);
  useLayoutEffect(() => {
    const f = () => setScale(Math.min(window.innerWidth / STAGE_W, window.innerHeight / STAGE_H));
    f();
    window.addEventListener('resize', f);
    return () => window.removeEventListener('resize', f);
  }, []);
  return scale;
}

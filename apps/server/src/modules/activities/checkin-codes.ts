import crypto from 'node:crypto';
import { acceptedWindows, codeWindow, CODE_WINDOW_MS } from '@wenming/domain';

/**
 * Rotating check-in codes: `<window>.<HMAC(activity id, window)>`. A code is bound to its activity,
 * valid for its 30-second window and the next one, and cannot be forged without the server key.
 */
export function createCheckinCodes(key: Buffer) {
  const mac = (activityId: string, window: number) => crypto.createHmac('sha256', key).update(`${activityId}:${window}`).digest('base64url').slice(0, 16);
  return {
    issue(activityId: string, at: Date) {
      const w = codeWindow(at);
      return { code: `${w}.${mac(activityId, w)}`, expiresAt: new Date((w + 2) * CODE_WINDOW_MS) };
    },
    verify(activityId: string, code: string, at: Date): boolean {
      const m = /^(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(code.trim());
      if (!m) return false;
      const w = Number(m[1]);
      if (!acceptedWindows(at).includes(w)) return false;
      const expected = Buffer.from(mac(activityId, w));
      const given = Buffer.from(m[2]!);
      return expected.length === given.length && crypto.timingSafeEqual(expected, given);
    },
  };
}

export type CheckinCodes = ReturnType<typeof createCheckinCodes>;

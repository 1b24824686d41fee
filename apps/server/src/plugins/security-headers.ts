import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../config.ts';

/**
 * The Content-Security-Policy the built web app (admin console, H5 pages, big screen) and the
 * Swagger UI at /docs work under (checked in headless Chromium: e2e/security-headers.mjs).
 * - scripts only from our own origin, no inline scripts or handlers: an injected
 *   `<img onerror=…>` does not run even if some name slipped through unescaped;
 * - styles from our origin plus inline ones: Ant Design writes its CSS-in-JS into `<style>`
 *   elements, ECharts' tooltips and the boot screen of index.html use inline styles;
 * - pictures from our origin, data:/blob: (QR codes, chart exports, previews) and any https
 *   site (rich-text articles may show https pictures); requests (API, SSE) to our origin only;
 * - no plugins, no `<base>` tricks, forms post only to us; framing per FRAME_ANCESTORS.
 */
export function contentSecurityPolicy(config: Pick<Config, 'FRAME_ANCESTORS' | 'COOKIE_SECURE'>, scriptHashes: string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'", ...scriptHashes],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'blob:'],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': config.FRAME_ANCESTORS.split(/\s+/),
    // Only behind HTTPS: on a plain-http deployment it would send every request to https.
    ...(config.COOKIE_SECURE ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The built index.html carries one small inline script (it preloads the chunks of the face the
 * address asks for; apps/web/vite.config.ts). It is allowed by its hash, read from the file when
 * the server starts, so no other inline script runs. (A rebuild while the server runs only
 * skips that preload until the restart.)
 */
export function inlineScriptHashes(webDist: string | null): string[] {
  if (!webDist) return [];
  let html: string;
  try {
    html = fs.readFileSync(path.join(webDist, 'index.html'), 'utf8');
  } catch {
    return [];
  }
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1]!)
    .filter((body) => body.trim() !== '')
    .map((body) => `'sha256-${crypto.createHash('sha256').update(body, 'utf8').digest('base64')}'`);
}

/**
 * Security headers on every response (@fastify/helmet): CSP, X-Frame-Options to match
 * frame-ancestors (for old browsers), nosniff, Referrer-Policy `same-origin` (URLs with search
 * words never leave for other sites), and HSTS when the deployment is HTTPS (COOKIE_SECURE=true).
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config, webDist: string | null) {
  const ancestors = config.FRAME_ANCESTORS.split(/\s+/);
  const frameguard =
    ancestors.length === 1 && ancestors[0] === "'none'"
      ? { action: 'deny' as const }
      : ancestors.length === 1 && ancestors[0] === "'self'"
        ? { action: 'sameorigin' as const }
        : false;
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy:
      config.CSP === 'off'
        ? false
        : { useDefaults: false, directives: contentSecurityPolicy(config, inlineScriptHashes(webDist)), reportOnly: config.CSP === 'report-only' },
    frameguard,
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.COOKIE_SECURE ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // Pictures in /api/v1/uploads may be shown by other sites of the same deployment (the portal).
    crossOriginResourcePolicy: { policy: 'same-site' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

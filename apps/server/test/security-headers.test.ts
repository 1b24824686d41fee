import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/test-app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inlineScriptHashes } from '../src/plugins/security-headers.ts';

/** Issue 15, item 9: security headers on every response (the browser check is e2e/security-headers.mjs). */
describe('security headers', () => {
  let ctx: TestContext;
  let secure: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    secure = await createTestContext('pglite', { COOKIE_SECURE: true, CSP: 'report-only', FRAME_ANCESTORS: 'https://portal.example.cn' });
  });
  afterAll(async () => {
    await ctx.close();
    await secure.close();
  });

  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([k, ...v]) => [k, v]),
    );

  it('API answers, errors and the Swagger UI carry CSP, frame, nosniff and referrer headers (no HSTS over plain http)', async () => {
    for (const [url, status] of [
      ['/healthz', 200],
      ['/api/v1/categories', 200],
      ['/api/v1/orders', 401],
      ['/api/v1/no-such-thing', 404],
      ['/docs/', 200],
    ] as const) {
      const res = await ctx.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('a path parameter too long (answered by the router) still gets the error body', async () => {
    const res = await ctx.request({ method: 'GET', url: `/api/v1/orders/${'x'.repeat(200)}` });
    expect(res.statusCode).toBe(400);
  });

  it('HTTPS deployments (COOKIE_SECURE=true) get HSTS and upgrade-insecure-requests; report-only and other frame ancestors are honoured', async () => {
    const res = await secure.request({ method: 'GET', url: '/api/v1/categories' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(res.headers['content-security-policy']).toBeUndefined();
    const csp = directives(String(res.headers['content-security-policy-report-only']));
    expect(csp.get('frame-ancestors')).toEqual(['https://portal.example.cn']);
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    // X-Frame-Options cannot name another origin: left out, frame-ancestors decides.
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('the settings are checked at start', () => {
    expect(loadConfig({}).CSP).toBe('enforce');
    expect(loadConfig({}).FRAME_ANCESTORS).toBe("'self'");
    expect(loadConfig({ FRAME_ANCESTORS: "'none'" }).FRAME_ANCESTORS).toBe("'none'");
    expect(() => loadConfig({ CSP: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ FRAME_ANCESTORS: "* 'unsafe-inline'" })).toThrow(ConfigError);
  });

  it('allows the inline script of the built index.html by its hash, and no other', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-csp-'));
    const preload = "(function(){var l=document.createElement('link');l.rel='modulepreload'})()";
    fs.writeFileSync(path.join(dir, 'index.html'), `<html><head><script type="module" src="/assets/a.js"></script><script>${preload}</script></head></html>`);
    expect(inlineScriptHashes(dir)).toEqual([`'sha256-${crypto.createHash('sha256').update(preload).digest('base64')}'`]);
    expect(inlineScriptHashes(null)).toEqual([]);
    expect(inlineScriptHashes(path.join(dir, 'missing'))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { openPglite, type Database } from '../src/db/client.ts';

// The built web app as the build leaves it: hashed assets with .br and .gz beside them, the
// shell (index.html) likewise, and a small public file without compressed variants.
const SHELL =
  '<!doctype html><html lang="zh-CN"><head><title>文明实践云</title><script type="module" src="/assets/index-AbCd12_-.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('文明实践云 '.repeat(400))});\n`;

function writeWithVariants(file: string, content: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content));
}

function decode(encoding: string | undefined, body: Buffer): string {
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

describe('delivery of the built web app', () => {
  let dir: string;
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-web-delivery-'));
    writeWithVariants(path.join(dir, 'index.html'), SHELL);
    writeWithVariants(path.join(dir, 'assets/index-AbCd12_-.js'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // Static files never touch the database; an empty embedded one is enough to build the app.
    database = await openPglite(undefined);
    app = await buildApp({ config: testConfig({ LOG_LEVEL: 'silent' }), database, webDist: dir });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the precompressed variant the client accepts, brotli first', async () => {
    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip, deflate', 'gzip'],
      ['identity', undefined],
      [undefined, undefined],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: '/assets/index-AbCd12_-.js', headers: accept ? { 'accept-encoding': accept } : {} });
      expect(res.statusCode, String(accept)).toBe(200);
      expect(res.headers['content-encoding'], String(accept)).toBe(expected);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(decode(expected, res.rawPayload)).toBe(SCRIPT);
      if (expected) expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);
    }
  });

  it('caches hashed assets for a year and revalidates everything else', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-AbCd12_-.js', headers: { 'accept-encoding': 'br' } });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plainAsset = await app.inject({ method: 'GET', url: '/assets/index-AbCd12_-.js' });
    expect(plainAsset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/favicon.svg']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    // A file without compressed variants is sent as it is.
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg', headers: { 'accept-encoding': 'br, gzip' } });
    expect(icon.headers['content-encoding']).toBeUndefined();
    expect(icon.body).toContain('<svg');
  });

  it('answers client-side routes with the shell, compressed and never cached', async () => {
    for (const [url, encoding] of [
      ['/h5', 'br'],
      ['/h5/orders/0190b7a2-0000-7000-8000-000000000000', 'gzip'],
      ['/admin/orgs?q=小店', 'br'],
      ['/screen/dashboard', undefined],
    ] as const) {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { accept: 'text/html,application/xhtml+xml', ...(encoding ? { 'accept-encoding': encoding } : {}) },
      });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['content-encoding'], url).toBe(encoding);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(decode(encoding, res.rawPayload)).toBe(SHELL);
    }
  });

  it('keeps 404 bodies for missing files, the API and JSON clients', async () => {
    const missing = await app.inject({ method: 'GET', url: '/assets/missing-AbCd12_-.js', headers: { 'accept-encoding': 'br' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { accept: 'text/html' } })).json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/h5', headers: { accept: 'application/json' } })).statusCode).toBe(404);
  });
});

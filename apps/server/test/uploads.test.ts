import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { sniffImage } from '../src/modules/uploads/sniff.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

function multipart(parts: { name: string; filename?: string; type?: string; bytes: Buffer }[]) {
  const boundary = '----wenming-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(p.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('picture sniffing', () => {
  it('recognises the four accepted types by their bytes only', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG_HEAD)).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a\x01\x00'))).toBe('image/gif');
    expect(sniffImage(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(Buffer.from('<html>'))).toBeNull();
    expect(sniffImage(Buffer.from('RIFF0000WAVE'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });
});

describe.each(DATABASES)('picture uploads on %s', (kind) => {
  let ctx: TestContext;
  let user: Caller;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-uploads-'));

  beforeAll(async () => {
    ctx = await createTestContext(kind, { DATA_DIR: dataDir, UPLOAD_IMAGE_MAX_BYTES: 64 * 1024 });
    user = await ctx.register('上传者');
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a picture and serves it back with safe headers', async () => {
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      ...multipart([{ name: 'file', filename: '活动照片.png', type: 'image/png', bytes: PNG }]),
      as: user,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ contentType: 'image/png', size: PNG.length, url: `/api/v1/uploads/${body.id}` });

    const got = await ctx.request({ method: 'GET', url: body.url });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toContain("default-src 'none'");
    const again = await ctx.request({ method: 'GET', url: body.url, headers: { 'if-none-match': String(got.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const files = fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith(body.id))).toBe(true);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('takes the type from the content, not from the name or the declared type', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      ...multipart([{ name: 'file', filename: 'x.png', type: 'image/png', bytes: svg }]),
      as: user,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'file' }] });
    const jpegNamedGif = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      ...multipart([{ name: 'file', filename: 'a.gif', type: 'image/gif', bytes: JPEG_HEAD }]),
      as: user,
    });
    expect(jpegNamedGif.statusCode).toBe(201);
    expect(jpegNamedGif.json().contentType).toBe('image/jpeg');
  });

  it('refuses too large, empty, misnamed, non-multipart and anonymous uploads, writing nothing', async () => {
    const before = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM uploads');
    const big = Buffer.concat([PNG, Buffer.alloc(70 * 1024)]);
    const tooBig = await ctx.request({ method: 'POST', url: '/api/v1/uploads', ...multipart([{ name: 'file', filename: 'big.png', bytes: big }]), as: user });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const empty = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      ...multipart([{ name: 'file', filename: 'e.png', bytes: Buffer.alloc(0) }]),
      as: user,
    });
    expect(empty.statusCode).toBe(400);
    const wrongField = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      ...multipart([{ name: 'photo', filename: 'a.png', bytes: PNG }]),
      as: user,
    });
    expect(wrongField.statusCode).toBe(400);
    const json = await ctx.request({ method: 'POST', url: '/api/v1/uploads', payload: { file: 'x' }, as: user });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('VALIDATION_FAILED');
    const anonymous = await ctx.request({ method: 'POST', url: '/api/v1/uploads', ...multipart([{ name: 'file', filename: 'a.png', bytes: PNG }]) });
    expect(anonymous.statusCode).toBe(401);
    const after = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM uploads');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await ctx.request({ method: 'GET', url: '/api/v1/uploads/0190f1a2-0000-7000-8000-000000000000' })).statusCode).toBe(404);
    const bad = await ctx.request({ method: 'GET', url: '/api/v1/uploads/..%2F..%2Fetc%2Fpasswd' });
    expect([400, 404]).toContain(bad.statusCode);
    expect(bad.json().error).toBeDefined();
  });
});

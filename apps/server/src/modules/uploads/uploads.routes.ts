import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { validationFailed } from '../../lib/errors.ts';
import { claimIdempotencyWithParts } from '../../plugins/idempotency.ts';
import type { UploadsService } from './uploads.service.ts';

const ZUploaded = z.object({ id: z.string(), url: z.string(), contentType: z.string(), size: z.number().int() });

export function uploadsRoutes(app: FastifyInstance, deps: { uploads: UploadsService }) {
  const r = typed(app);
  r.post(`${API}/uploads`, {
    schema: {
      tags: ['uploads'],
      security: SECURED,
      summary: '上传图片（multipart/form-data，字段 file；JPG/PNG/WebP/GIF，按内容识别）',
      consumes: ['multipart/form-data'],
      response: { 201: ZUploaded },
    },
    config: { idempotencyAfterParts: true },
    handler: async (req, reply) => {
      // Anything but one multipart part named "file" is a 400; the size cap makes toBuffer() throw 413.
      const part = await req.file({ limits: { fileSize: deps.uploads.maxImageBytes, files: 1 } });
      if (!part || part.fieldname !== 'file')
        throw validationFailed('file', { zh: '请选择要上传的图片（字段名 file）', en: 'Send the picture in a part named "file"' });
      const bytes = await part.toBuffer();
      if (await claimIdempotencyWithParts(req, reply, [{ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, bytes }])) return reply;
      return reply.status(201).send(await deps.uploads.upload(req.ctx, { bytes, filename: part.filename }));
    },
  });

  r.get(`${API}/uploads/:id`, {
    schema: { tags: ['uploads'], summary: '读取已上传的图片（公开）', params: ZIdParams },
    config: { public: true },
    handler: async (req, reply) => {
      const row = await deps.uploads.find(req.params.id);
      const etag = `"${row.sha256}"`;
      const cached = { 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag };
      // The bytes of an id never change, so a matching ETag is answered without touching the store.
      if (req.headers['if-none-match'] === etag) return reply.status(304).headers(cached).send();
      const stream = await deps.uploads.read(row);
      return reply
        .headers(cached)
        .header('Content-Type', row.contentType)
        .header('Content-Length', String(row.byteSize))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('Content-Disposition', 'inline')
        .send(stream);
    },
  });

  // The S3 client keeps sockets open; they close with the app.
  app.addHook('onClose', async () => deps.uploads.close());
}

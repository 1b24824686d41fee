import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { validationFailed } from '../../lib/errors.ts';
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
    handler: async (req, reply) => {
      // Anything but one multipart part named "file" is a 400; the size cap makes toBuffer() throw 413.
      const part = await req.file({ limits: { fileSize: deps.uploads.maxImageBytes, files: 1 } });
      if (!part || part.fieldname !== 'file') throw validationFailed('file', { zh: '请选择要上传的图片（字段名 file）', en: 'Send the picture in a part named "file"' });
      const bytes = await part.toBuffer();
      return reply.status(201).send(await deps.uploads.upload(req.ctx, { bytes, filename: part.filename }));
    },
  });

  r.get(`${API}/uploads/:id`, {
    schema: { tags: ['uploads'], summary: '读取已上传的图片（公开）', params: ZIdParams },
    config: { public: true },
    handler: async (req, reply) => {
      const { row, stream } = await deps.uploads.open(req.params.id);
      const etag = `"${row.sha256}"`;
      reply
        .header('Content-Type', row.contentType)
        .header('Content-Length', String(row.byteSize))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('Content-Disposition', 'inline')
        .header('Cache-Control', 'public, max-age=31536000, immutable')
        .header('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        stream.destroy();
        return reply.status(304).send();
      }
      return reply.send(stream);
    },
  });
}

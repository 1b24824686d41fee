import crypto from 'node:crypto';
import { newId } from '../../lib/ids.ts';
import { AppError, notFound, validationFailed } from '../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../lib/policy.ts';
import { sniffImage } from './sniff.ts';
import type { UploadStore } from './upload-store.ts';
import type { UploadsRepository } from './uploads.repository.ts';

export const uploadUrl = (id: string) => `/api/v1/uploads/${id}`;

export function createUploadsService(deps: { uploads: UploadsRepository; store: UploadStore; maxImageBytes: number }) {
  return {
    maxImageBytes: deps.maxImageBytes,

    /** Stores one picture: the type is taken from the bytes, the file is written before its row. */
    async upload(ctx: RequestCtx, file: { bytes: Buffer; filename?: string }) {
      const actor = requireActor(ctx);
      if (file.bytes.length === 0) throw validationFailed('file', { zh: '文件是空的', en: 'The file is empty' });
      if (file.bytes.length > deps.maxImageBytes)
        throw new AppError('PAYLOAD_TOO_LARGE', { zh: `图片不能超过 ${Math.round(deps.maxImageBytes / 1048576)} MB`, en: `Pictures must be at most ${Math.round(deps.maxImageBytes / 1048576)} MB` });
      const contentType = sniffImage(file.bytes);
      if (!contentType) throw validationFailed('file', { zh: '只能上传 JPG、PNG、WebP 或 GIF 图片', en: 'Only JPEG, PNG, WebP or GIF pictures are accepted' });
      const id = newId();
      const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
      await deps.store.put(id, file.bytes);
      try {
        const originalName = file.filename ? file.filename.slice(0, 200) : null;
        await deps.uploads.insert({ id, ownerId: actor.userId, contentType, byteSize: file.bytes.length, sha256, originalName });
      } catch (e) {
        await deps.store.remove(id).catch(() => {});
        throw e;
      }
      return { id, url: uploadUrl(id), contentType, size: file.bytes.length };
    },

    /** The row and a stream of the bytes; 404 for an unknown id or a file gone missing. */
    async open(id: string) {
      const row = await deps.uploads.byId(id);
      const stream = row ? deps.store.open(id) : null;
      if (!row || !stream) throw notFound({ zh: '图片不存在', en: 'No such picture' });
      return { row, stream };
    },
  };
}
export type UploadsService = ReturnType<typeof createUploadsService>;

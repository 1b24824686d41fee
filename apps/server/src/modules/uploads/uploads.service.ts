import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { newId } from '../../lib/ids.ts';
import { AppError, notFound, validationFailed } from '../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../lib/policy.ts';
import { sniffImage } from './sniff.ts';
import type { UploadStore } from './upload-store.ts';
import type { UploadRow, UploadsRepository } from './uploads.repository.ts';

export const uploadUrl = (id: string) => `/api/v1/uploads/${id}`;

/** What a failing store (disk full, bucket unreachable, credentials refused) answers: 503, the cause in the log. */
const storeUnavailable = () => new AppError('UNAVAILABLE', { zh: '文件存储暂不可用，请稍后重试', en: 'File storage is unavailable; retry later' });

export function createUploadsService(deps: {
  uploads: UploadsRepository;
  store: UploadStore;
  maxImageBytes: number;
  log?: (message: string, err?: unknown) => void;
}) {
  const log = deps.log ?? (() => {});
  return {
    maxImageBytes: deps.maxImageBytes,

    /** Stores one picture: the type is taken from the bytes, the file is written before its row. */
    async upload(ctx: RequestCtx, file: { bytes: Buffer; filename?: string }) {
      const actor = requireActor(ctx);
      if (file.bytes.length === 0) throw validationFailed('file', { zh: '文件是空的', en: 'The file is empty' });
      if (file.bytes.length > deps.maxImageBytes)
        throw new AppError('PAYLOAD_TOO_LARGE', {
          zh: `图片不能超过 ${Math.round(deps.maxImageBytes / 1048576)} MB`,
          en: `Pictures must be at most ${Math.round(deps.maxImageBytes / 1048576)} MB`,
        });
      const contentType = sniffImage(file.bytes);
      if (!contentType) throw validationFailed('file', { zh: '只能上传 JPG、PNG、WebP 或 GIF 图片', en: 'Only JPEG, PNG, WebP or GIF pictures are accepted' });
      const id = newId();
      const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
      try {
        await deps.store.put(id, file.bytes, contentType);
      } catch (e) {
        // Both stores write whole or nothing, so a failed put leaves nothing behind to remove.
        log(`upload ${id}: the store refused the file`, e);
        throw storeUnavailable();
      }
      try {
        const originalName = file.filename ? file.filename.slice(0, 200) : null;
        await deps.uploads.insert({ id, ownerId: actor.userId, contentType, byteSize: file.bytes.length, sha256, originalName });
      } catch (e) {
        await deps.store.remove(id).catch((err) => log(`upload ${id}: could not remove the file of a row never written`, err));
        throw e;
      }
      return { id, url: uploadUrl(id), contentType, size: file.bytes.length };
    },

    /** The row of an upload (type, size, hash); 404 for an unknown id. */
    async find(id: string): Promise<UploadRow> {
      const row = await deps.uploads.byId(id);
      if (!row) throw notFound({ zh: '图片不存在', en: 'No such picture' });
      return row;
    },

    /** A stream of the upload's bytes; 404 when the file has gone missing, 503 when the store fails. */
    async read(row: UploadRow): Promise<Readable> {
      let stream: Readable | null;
      try {
        stream = await deps.store.open(row.id);
      } catch (e) {
        log(`upload ${row.id}: the store could not be read`, e);
        throw storeUnavailable();
      }
      if (!stream) throw notFound({ zh: '图片不存在', en: 'No such picture' });
      return stream;
    },

    close: () => deps.store.close(),
  };
}
export type UploadsService = ReturnType<typeof createUploadsService>;

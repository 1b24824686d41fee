import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded bytes live. The embedded deployment keeps them on disk under DATA_DIR/uploads;
 * a deployment with several servers uses an S3-compatible bucket (`s3-upload-store.ts`) behind
 * the same calls. A failing store throws; the service turns that into 503 UNAVAILABLE.
 */
export interface UploadStore {
  /** Stores the bytes whole or not at all: a reader never sees half a file. */
  put(id: string, bytes: Buffer, contentType: string): Promise<void>;
  /** A stream of the bytes, or null when the file is missing. */
  open(id: string): Promise<Readable | null>;
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Ids are server-made UUIDs; the check keeps any other string from reaching a path or an object key. */
export function assertUploadId(id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not an upload id: ${id}`);
}

export function diskUploadStore(root: string): UploadStore {
  const file = (id: string) => {
    assertUploadId(id);
    return path.join(root, id.slice(-2), id);
  };
  return {
    async put(id, bytes) {
      const target = file(id);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // Written under a temporary name and renamed, so a reader never sees half a file.
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        await fs.promises.writeFile(tmp, bytes, { flag: 'wx' });
        await fs.promises.rename(tmp, target);
      } catch (e) {
        await fs.promises.rm(tmp, { force: true }).catch(() => {});
        throw e;
      }
    },
    async open(id) {
      try {
        const handle = await fs.promises.open(file(id), 'r');
        return handle.createReadStream();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async remove(id) {
      await fs.promises.rm(file(id), { force: true });
    },
    async close() {},
  };
}

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded bytes live. The embedded deployment keeps them on disk under DATA_DIR/uploads;
 * a deployment with several servers swaps in a shared store behind the same three calls.
 */
export interface UploadStore {
  put(id: string, bytes: Buffer): Promise<void>;
  /** A stream of the bytes, or null when the file is missing. */
  open(id: string): Readable | null;
  remove(id: string): Promise<void>;
}

export function diskUploadStore(root: string): UploadStore {
  // Ids are server-made UUIDs; the check keeps any other string from reaching the file system.
  const file = (id: string) => {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not an upload id: ${id}`);
    return path.join(root, id.slice(-2), id);
  };
  return {
    async put(id, bytes) {
      const target = file(id);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // Written under a temporary name and renamed, so a reader never sees half a file.
      const tmp = `${target}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, bytes, { flag: 'wx' });
      await fs.promises.rename(tmp, target);
    },
    open(id) {
      const target = file(id);
      return fs.existsSync(target) ? fs.createReadStream(target) : null;
    },
    async remove(id) {
      await fs.promises.rm(file(id), { force: true });
    },
  };
}

import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uploads } from '../../db/schema.ts';

export type UploadRow = typeof uploads.$inferSelect;

export function createUploadsRepository(db: Executor) {
  return {
    async insert(row: typeof uploads.$inferInsert, tx: Executor = db) {
      await tx.insert(uploads).values(row);
    },
    async byId(id: string, tx: Executor = db): Promise<UploadRow | null> {
      const [r] = await tx.select().from(uploads).where(eq(uploads.id, id));
      return r ?? null;
    },
  };
}
export type UploadsRepository = ReturnType<typeof createUploadsRepository>;

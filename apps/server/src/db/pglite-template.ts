import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { openPglite } from './client.ts';
import { migrate, readMigrations } from './migrate.ts';

/**
 * A template for the embedded database's first start: the data folder of a PGlite database on
 * which every migration has been applied and that was shut down cleanly, made once by the build
 * (`wenming pglite-template`). A new DATA_DIR starts as a plain copy of it instead of running
 * initdb and the migrations in WebAssembly. It is used only when it was made by the same PGlite
 * version from the same migrations; otherwise the first start takes the long way, with the same
 * result. (PGlite's own dumpDataDir/loadDataDir tarball was measured too: it skips the same work
 * but unpacks through the WebAssembly file system, about 3× slower than a copy.)
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));
const STAMP_FILE = path.join(PGLITE_TEMPLATE_DIR, 'wenming-template.json');

/** What the template depends on: PGlite's version and the migrations (names and checksums). */
export function pgliteTemplateKey(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const h = crypto.createHash('sha256').update(`pglite ${version}\n`);
  for (const m of readMigrations()) h.update(`${m.name} ${m.checksum}\n`);
  return h.digest('hex');
}

/** The template is there and was made for this PGlite and these migrations. */
export function pgliteTemplateFresh(): boolean {
  try {
    return (JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8')) as { key?: string }).key === pgliteTemplateKey();
  } catch {
    return false;
  }
}

/**
 * Fills the empty data folder `dir` with a copy of the template, when there is a fresh one.
 * Copies beside it and renames, so an interrupted copy never leaves half a database.
 * Returns whether it did.
 */
export function copyPgliteTemplate(dir: string): boolean {
  if (!pgliteTemplateFresh()) return false;
  if (fs.existsSync(dir)) {
    if (fs.readdirSync(dir).length > 0) return false; // not ours to fill
    fs.rmdirSync(dir);
  }
  const tmp = `${dir}.template-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(PGLITE_TEMPLATE_DIR, tmp, { recursive: true, filter: (src) => src !== STAMP_FILE });
  fs.renameSync(tmp, dir);
  return true;
}

/** Makes the template next to the server build (a migrated database, shut down cleanly). */
export async function makePgliteTemplate(target = PGLITE_TEMPLATE_DIR): Promise<{ bytes: number; migrations: number }> {
  const work = `${target}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  const database = await openPglite(work);
  try {
    await database.session((raw) => migrate(raw));
  } finally {
    await database.close();
  }
  fs.writeFileSync(path.join(work, 'wenming-template.json'), `${JSON.stringify({ key: pgliteTemplateKey(), madeAt: new Date().toISOString() }, null, 2)}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(work, target);
  let bytes = 0;
  for (const e of fs.readdirSync(target, { recursive: true, withFileTypes: true })) if (e.isFile()) bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  return { bytes, migrations: readMigrations().length };
}

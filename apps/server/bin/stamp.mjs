// Build stamps: a hash of what a build was made from, written next to what it made, so that
// `npm start` rebuilds only when a source changed and `wenming` runs the precompiled server only
// when it was compiled from the sources on disk. Plain JavaScript: it runs before any build.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIST = path.join(ROOT, 'apps/web/dist');
export const WEB_STAMP = path.join(WEB_DIST, '.build-stamp.json');
export const SERVER_DIST = path.join(ROOT, 'apps/server/dist');
export const SERVER_BUNDLE = path.join(SERVER_DIST, 'main.mjs');
export const SERVER_STAMP = path.join(SERVER_DIST, 'build-stamp.json');

const SKIP = new Set(['node_modules', 'dist', '.vite', 'coverage', 'test', 'screenshots']);

function collect(abs, out) {
  let st;
  try {
    st = fs.statSync(abs);
  } catch {
    return; // an optional input that is absent hashes as absent
  }
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(abs).sort()) if (!SKIP.has(name) && !name.startsWith('.')) collect(path.join(abs, name), out);
  } else if (st.isFile()) out.push(abs);
}

/** sha256 over the paths (relative to the repo) and contents of `inputs` (files or folders). */
export function hashInputs(inputs) {
  const files = [];
  for (const rel of inputs) collect(path.join(ROOT, rel), files);
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(path.relative(ROOT, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Shared by both builds: the workspace packages, the lockfile (dependency versions), the build script. */
const COMMON = [
  'package-lock.json',
  'package.json',
  'packages/contracts/src',
  'packages/contracts/package.json',
  'packages/domain/src',
  'packages/domain/package.json',
  'scripts/build.mjs',
  'apps/server/bin/stamp.mjs',
];

/** What the web build (apps/web/dist) is made from: web sources, vite config, lockfile. */
export const webSourceHash = () =>
  hashInputs([
    ...COMMON,
    'apps/web/src',
    'apps/web/public',
    'apps/web/index.html',
    'apps/web/vite.config.ts',
    'apps/web/package.json',
    'apps/web/tsconfig.json',
  ]);

/** What the precompiled server (apps/server/dist/main.mjs) is made from. */
export const serverSourceHash = () => hashInputs([...COMMON, 'apps/server/src', 'apps/server/package.json']);

export function readStamp(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function writeStamp(file, hash, extra = {}) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ hash, builtAt: new Date().toISOString(), ...extra }, null, 2)}\n`);
}

/** The web build on disk was made from the sources on disk. */
export const webBuildFresh = () => fs.existsSync(path.join(WEB_DIST, 'index.html')) && readStamp(WEB_STAMP)?.hash === webSourceHash();

/** The precompiled server on disk was made from the sources on disk. */
export const serverBuildFresh = () => fs.existsSync(SERVER_BUNDLE) && readStamp(SERVER_STAMP)?.hash === serverSourceHash();

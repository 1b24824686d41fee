#!/usr/bin/env node
// The `wenming` command. Runs the server precompiled by `npm run build` (apps/server/dist/main.mjs)
// when it was compiled from the sources on disk; otherwise the TypeScript sources through tsx, so
// an edited source is never shadowed by an old build. WENMING_FROM_SOURCE=1 always uses tsx.
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE, serverBuildFresh } from './stamp.mjs';

if (process.env.WENMING_FROM_SOURCE !== '1' && serverBuildFresh()) {
  await import(pathToFileURL(SERVER_BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}

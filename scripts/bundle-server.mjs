// Bundles a server entry point the way production runs it (esbuild; node_modules stay external,
// the workspace's own TypeScript is bundled). Used by scripts/build.mjs for apps/server/dist/main.mjs
// and by the benchmark for the server it measures, so both run the same compiled code.
import fs from 'node:fs';
import path from 'node:path';

/** Rewrites `import.meta.url` of each bundled source to that source's own URL, relative to the bundle. */
const sourceUrls = (outDir) => ({
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let contents = await fs.promises.readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = path.relative(outDir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
});

/** Packages stay in node_modules (resolved at run time as from the sources); the workspace's own TypeScript is bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@wenming/') ? undefined : { path: args.path, external: true }));
  },
};

/** Bundles `entry` (a .ts file) into `outfile` (.mjs). */
export async function bundleServer(entry, outfile, banner) {
  const esbuild = await import('esbuild');
  fs.rmSync(outfile, { force: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    plugins: [externalPackages, sourceUrls(path.dirname(outfile))],
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: banner },
  });
}

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Where the dev server (`npm run dev -w @wenming/web`) sends /api: WENMING_API_URL, default port 3000. */
const apiTarget = process.env.WENMING_API_URL ?? 'http://127.0.0.1:3000';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|map|ico|webmanifest)$/;

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside every text asset of
 * the build, so the server sends them as they are (@fastify/static `preCompressed`) instead of
 * compressing at every request. Files under 1 KB and files that do not get smaller stay as they are.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'wenming-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (fs.readdirSync(outDir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name) && !e.parentPath.includes(`${path.sep}.vite`))
        .map((e) => path.join(e.parentPath, e.name));
      await Promise.all(
        files.map(async (file) => {
          const raw = await fs.promises.readFile(file);
          if (raw.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
            gzip(raw, { level: 9 }),
          ]);
          if (br.length < raw.length) await fs.promises.writeFile(`${file}.br`, br);
          if (gz.length < raw.length) await fs.promises.writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/** Path prefix of each face → the lazy module its first page renders at once (see router.tsx). */
const FACE_ENTRIES: [prefix: string, module: string][] = [
  ['/h5', 'src/app/h5/h5-app.tsx'],
  ['/admin', 'src/app/admin/admin-app.tsx'],
  ['/login', 'src/features/auth/components/login-page.tsx'],
  ['/screen/dashboard', 'src/features/stats/components/screen-dashboard-page.tsx'],
];

/**
 * The face's own chunk is asked for only once the entry has arrived and run; on a slow network
 * that leaves the line idle for a round trip and the entry's parse time. A tiny inline script in
 * index.html looks at the path and adds `modulepreload` links for the face's chunks at once, so
 * they download while the entry is still arriving.
 */
function facePreload(): Plugin {
  let root = '';
  let base = '/';
  return {
    name: 'wenming-face-preload',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (!html || html.type !== 'asset') return;
      const chunks = new Map<string, { imports: string[] }>();
      let entry: string | undefined;
      const facades = new Map<string, string>();
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue;
        chunks.set(out.fileName, out);
        if (out.isEntry) entry = out.fileName;
        if (out.facadeModuleId) facades.set(path.resolve(out.facadeModuleId), out.fileName);
      }
      const closure = (file: string, into = new Set<string>()) => {
        if (!into.has(file)) {
          into.add(file);
          for (const dep of chunks.get(file)?.imports ?? []) closure(dep, into);
        }
        return into;
      };
      const inEntry = entry ? closure(entry) : new Set<string>();
      const map: Record<string, string[]> = {};
      for (const [prefix, mod] of FACE_ENTRIES) {
        const file = facades.get(path.resolve(root, mod));
        if (!file) this.error(`face-preload: no chunk for ${mod}`);
        map[prefix] = [...closure(file)].filter((f) => !inEntry.has(f)).map((f) => base + f);
      }
      const script = `<script>(function(m,p){for(var k in m)if(p===k||p.indexOf(k+'/')===0){for(var i=0;i<m[k].length;i++){var l=document.createElement('link');l.rel='modulepreload';l.href=m[k][i];document.head.appendChild(l)}return}})(${JSON.stringify(map)},location.pathname)</script>`;
      html.source = String(html.source).replace('</head>', `    ${script}\n  </head>`);
    },
  };
}

export default defineConfig({
  plugins: [react(), facePreload(), precompress()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/docs': { target: apiTarget },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks each page loads (scripts/web-size.mjs reports it).
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Libraries change less often than the app: long-cached chunks of their own.
            {
              name: 'react',
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/,
              priority: 30,
            },
            { name: 'query', test: /[\\/]node_modules[\\/]@tanstack[\\/]/, priority: 20 },
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});

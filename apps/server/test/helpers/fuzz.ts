/**
 * A small, deterministic fuzzer driven by the API's own OpenAPI document (test/fuzz-openapi.test.ts).
 *
 * For each operation it builds a "plausible" request from the operation's schemas (real ids where
 * the field's name says what it refers to, so deeper code runs), then spoils one thing at a time:
 * a path parameter, a query parameter, a body field, or the body as a whole (malformed JSON, wrong
 * content types, malformed multipart, non-object JSON, too large). Randomness comes from a seeded
 * generator, so every run sends the same requests.
 */
import { errorCodes, statusOf, type ErrorCode } from '@wenming/contracts';

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface Operation {
  /** `POST /api/v1/orders/{id}/cancel` */
  key: string;
  method: string;
  path: string;
  op: OpenApiOperation;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function listOperations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      out.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

/** mulberry32: a tiny seeded generator; the same seed gives the same sequence on every machine. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    shuffle: <T>(xs: readonly T[]): T[] => {
      const a2 = [...xs];
      for (let i = a2.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a2[i], a2[j]] = [a2[j]!, a2[i]!];
      }
      return a2;
    },
    uuid: () => {
      const hex = () => Math.floor(next() * 16).toString(16);
      const s = Array.from({ length: 32 }, hex);
      s[12] = '4';
      s[16] = '89ab'[Math.floor(next() * 4)]!;
      const j = s.join('');
      return `${j.slice(0, 8)}-${j.slice(8, 12)}-${j.slice(12, 16)}-${j.slice(16, 20)}-${j.slice(20)}`;
    },
  };
}
export type Rng = ReturnType<typeof seeded>;

/** A stable 32-bit hash of a string (FNV-1a), to seed each operation on its own. */
export function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Plausible values

/** What the fuzzer knows about the world: real ids by collection, and a few plausible texts. */
export interface World {
  /** Real ids by collection name (the path segment before `{id}`: `orders`, `activities`, …). */
  ids: Record<string, string>;
  /** Real values of other path parameters by name (`grantId`, `serial`, …). */
  params: Record<string, string>;
  now: () => Date;
  phone: () => string;
  idNumber: () => string;
}

/** A field's name → the collection its id refers to. */
const ID_FIELDS: Record<string, string> = {
  orgId: 'orgs',
  parentId: 'orgs',
  pickupOrgId: 'orgs',
  homeOrgId: 'orgs',
  volunteerId: 'volunteers',
  volunteerIds: 'volunteers',
  teamId: 'teams',
  teamIds: 'teams',
  parentTeamId: 'teams',
  userId: 'users',
  leaderUserId: 'users',
  linkedUserId: 'users',
  departmentId: 'departments',
  resourceId: 'resources',
  activityId: 'activities',
  rewardId: 'rewards',
  columnId: 'content-columns',
  residentId: 'residents',
  residentIds: 'residents',
  planId: 'plans',
  serviceItemId: 'service-items',
  courseId: 'courses',
  lecturerIds: 'lecturers',
  entityId: 'orders',
  id: 'notifications',
};

const candidates = (w: World) => {
  const day = new Date(w.now().getTime() + 2 * 86_400_000);
  const ymd = day.toISOString().slice(0, 10);
  return [
    'health',
    '09:00',
    '1401',
    '140105',
    ymd,
    ymd.slice(0, 7),
    `${ymd.slice(0, 4)}-Q1`,
    ymd.slice(0, 4),
    w.phone(),
    'ABC123',
    '123456',
    'abc',
    'https://example.com/a.mp4',
  ];
};

function stripNull(schema: JsonSchema): JsonSchema {
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) {
    const first = alts.find((s) => s.type !== 'null') ?? alts[0]!;
    return stripNull(first);
  }
  if (schema.allOf?.length) return stripNull(Object.assign({}, ...schema.allOf) as JsonSchema);
  if (Array.isArray(schema.type)) return { ...schema, type: schema.type.find((t) => t !== 'null') ?? 'string' };
  return schema;
}

/** A value the schema accepts (as far as a generator can tell), informed by the field's name. */
export function plausible(raw: JsonSchema | undefined, key: string, w: World): unknown {
  const schema = stripNull(raw ?? {});
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const type = schema.type as string | undefined;
  const collection = ID_FIELDS[key];
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return (collection && w.ids[collection]) ?? '3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';
      const base = w.now().getTime() + 2 * 86_400_000;
      const late = /end|to$|until|deadline/i.test(key) ? 2 * 3_600_000 : 0;
      const deadline = /deadline/i.test(key) ? -26 * 3_600_000 : 0;
      const when = new Date(Math.floor(base / 3_600_000) * 3_600_000 + late + deadline);
      if (schema.format === 'date-time') return when.toISOString();
      if (schema.format === 'date') return when.toISOString().slice(0, 10);
      if (/password/i.test(key)) return 'password123';
      if (key === 'phone') return w.phone();
      if (key === 'idNumber') return w.idNumber();
      if (schema.pattern) {
        const re = new RegExp(schema.pattern, 'u');
        const hit = candidates(w).find((c) => re.test(c));
        if (hit) return hit;
      }
      const min = schema.minLength ?? 1;
      const text = '测试文本 fuzz';
      return text.length >= min ? text.slice(0, schema.maxLength ?? text.length) : text.padEnd(min, '文');
    }
    case 'integer':
    case 'number': {
      if (key === 'lat') return 37.8;
      if (key === 'lng') return 112.56;
      if (key === 'weekday') return 1;
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Number.MAX_SAFE_INTEGER);
      return Math.min(Math.max(min, 1), max);
    }
    case 'boolean':
      return true;
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, collection ? 1 : 0);
      return Array.from({ length: n }, () => plausible(schema.items, key, w));
    }
    case 'object':
    default:
      if (schema.properties) {
        const out: Record<string, unknown> = {};
        for (const k of schema.required ?? []) out[k] = plausible(schema.properties[k], k, w);
        return out;
      }
      return type === 'object' ? {} : 'x';
  }
}

// ---------------------------------------------------------------------------------------------
// Bad values

export interface Bad {
  label: string;
  value: unknown;
}

/** `undefined` as a value means "leave the field out". */
const MISSING: Bad = { label: 'missing', value: undefined };

const TEXTS: Bad[] = [
  { label: 'empty', value: '' },
  { label: 'spaces', value: '   ' },
  { label: 'NUL', value: 'a\u0000b' },
  { label: 'lone high surrogate', value: 'x\ud800' },
  { label: 'lone low surrogate', value: '\udfffy' },
  { label: 'emoji', value: '😀👨‍👩‍👧‍👦🇨🇳' },
  { label: 'RTL', value: '\u202eمرحبا\u202c עברית' },
  { label: 'zero-width and combining', value: 'a\u200b\u200d\ufeffe\u0301\u0336' },
  { label: 'control chars', value: '\u0001\u0007\u001b[31m\r\n\t' },
  { label: 'markup', value: '<img src=x onerror=alert(1)>' },
  { label: 'sql', value: "' OR '1'='1'; DROP TABLE users; --" },
  { label: 'like wildcards', value: '%_\\' },
  { label: 'format string', value: '%s%n%x{0}${7*7}' },
  { label: 'huge string', value: '长'.repeat(100_000) },
  { label: 'numeric string', value: '12345' },
  { label: 'path traversal', value: '../../../etc/passwd' },
];

const NUMBERS: Bad[] = [
  { label: 'negative', value: -1 },
  { label: 'zero', value: 0 },
  { label: 'fraction', value: 1.5 },
  { label: 'tiny', value: 5e-324 },
  { label: 'huge', value: 1e308 },
  { label: 'negative huge', value: -1e308 },
  { label: 'beyond int4', value: 2_147_483_648 },
  { label: 'beyond int8', value: 9_223_372_036_854_775_808 },
  { label: 'unsafe integer', value: 2 ** 53 + 2 },
];

const IDS: Bad[] = [
  { label: 'not a uuid', value: 'not-a-uuid' },
  { label: 'nil uuid', value: '00000000-0000-0000-0000-000000000000' },
  { label: 'max uuid', value: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
  { label: 'uuid of nothing', value: '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6' },
  { label: 'uuid uppercase', value: '7D0F6A2E-1B3C-4D5E-8F90-A1B2C3D4E5F6' },
  { label: 'uuid braces', value: '{7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6}' },
];

const DATES: Bad[] = [
  { label: 'feb 30', value: '2027-02-30T10:00:00+08:00' },
  { label: 'year 0', value: '0000-01-01T00:00:00Z' },
  { label: 'year 9999', value: '9999-12-31T23:59:59Z' },
  { label: 'epoch', value: '1970-01-01T00:00:00Z' },
  { label: 'no zone', value: '2027-01-01T10:00:00' },
  { label: 'date only', value: '2027-01-01' },
  { label: 'odd offset', value: '2027-01-01T10:00:00+14:00' },
];

const TYPES: Bad[] = [
  { label: 'null', value: null },
  { label: 'true', value: true },
  { label: 'number', value: 42 },
  { label: 'string', value: 'text' },
  { label: 'object', value: { a: 1 } },
  { label: 'operator object', value: { $gt: '' } },
  { label: 'array', value: ['a', 1, null] },
  { label: 'nested arrays', value: [[[[[]]]]] },
];

/** Bad values for a field of this schema: wrong types for it, and edge values of its own type. */
export function badValues(raw: JsonSchema | undefined, key: string): Bad[] {
  const schema = stripNull(raw ?? {});
  const type = schema.type as string | undefined;
  const out: Bad[] = [MISSING, ...TYPES.filter((b) => !(type === 'string' && b.label === 'string') && !(type === 'number' && b.label === 'number'))];
  if (type === 'string' || !type) {
    out.push(...TEXTS);
    if (schema.maxLength !== undefined) {
      out.push({ label: 'one over maxLength', value: 'x'.repeat(schema.maxLength + 1) });
      // The longest text the schema allows, in characters the column must hold as many of.
      out.push({ label: 'at maxLength', value: '长'.repeat(Math.min(schema.maxLength, 200_000)) });
    }
    if (schema.format === 'uuid' || /Id$/.test(key)) out.push(...IDS);
    if (schema.format === 'date-time' || schema.format === 'date' || /At$|On$|date|from|to/i.test(key)) out.push(...DATES);
  }
  if (type === 'integer' || type === 'number') {
    out.push(...NUMBERS, { label: 'numeric string', value: '1' });
    // The edges the schema allows: what the column (and any sum over it) must hold.
    if (schema.maximum !== undefined) out.push({ label: 'at maximum', value: schema.maximum });
    if (schema.minimum !== undefined) out.push({ label: 'at minimum', value: schema.minimum });
  }
  if (type === 'array') {
    if (schema.maxItems !== undefined && schema.maxItems <= 1000)
      out.push({ label: 'at maxItems', value: Array.from({ length: schema.maxItems }, (_, i) => `item-${i}`) });
    out.push(
      { label: 'empty array', value: [] },
      { label: 'array of null', value: [null] },
      { label: 'long array', value: Array.from({ length: 2000 }, (_, i) => `item-${i}`) },
      { label: 'array of ids of nothing', value: ['7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6', '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6'] },
      { label: 'array of NUL', value: ['a\u0000'] },
    );
  }
  if (type === 'object')
    out.push({ label: 'empty object', value: {} }, { label: 'proto object', value: JSON.parse('{"__proto__":{"polluted":1}}') as unknown });
  return out;
}

/** Bad values for a query or path parameter, as raw (already URL-encoded) strings. */
export function badParamValues(schema: JsonSchema | undefined): { label: string; raw: string }[] {
  const s = stripNull(schema ?? {});
  const enc = encodeURIComponent;
  const out = [
    { label: 'empty', raw: '' },
    { label: 'garbage', raw: 'abc' },
    { label: 'NUL', raw: '%00' },
    { label: 'encoded surrogate', raw: '%ED%A0%80' },
    { label: 'bad percent', raw: '%E0%A4%A' },
    { label: 'lone percent', raw: '%' },
    { label: 'emoji', raw: enc('😀') },
    { label: 'RTL', raw: enc('\u202eمرحبا') },
    { label: 'punctuation only', raw: enc('!?') },
    { label: 'stop word', raw: enc('的') },
    { label: 'like wildcards', raw: enc('%_\\') },
    { label: 'sql', raw: enc("' OR 1=1 --") },
    { label: 'long', raw: 'x'.repeat(5000) },
    { label: 'negative', raw: '-1' },
    { label: 'fraction', raw: '1.5' },
    { label: 'huge number', raw: '99999999999999999999999' },
    { label: 'infinite', raw: '1e999' },
    { label: 'NaN', raw: 'NaN' },
    { label: 'nil uuid', raw: '00000000-0000-0000-0000-000000000000' },
    { label: 'uuid of nothing', raw: '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6' },
    { label: 'year 9999', raw: enc('9999-12-31T23:59:59Z') },
    { label: 'year 0', raw: enc('0000-01-01T00:00:00Z') },
    { label: 'feb 30', raw: '2027-02-30' },
    { label: 'month 13', raw: '2027-13' },
  ];
  if (s.type === 'integer' || s.type === 'number') out.push({ label: 'max+1', raw: String((s.maximum ?? 1e9) + 1) }, { label: 'zero', raw: '0' });
  if (s.maximum !== undefined) out.push({ label: 'at maximum', raw: String(s.maximum) });
  if (s.maxLength !== undefined) out.push({ label: 'at maxLength', raw: encodeURIComponent('长'.repeat(Math.min(s.maxLength, 2000))) });
  return out;
}

/**
 * Cursors that decode (base64url JSON) but hold what the list's keyset query cannot take. List
 * cursors are objects of a sort key and an id; one object carries every sort key the lists use,
 * so each list's cursor schema finds its own among them.
 */
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const cursorWith = (time: unknown, text: unknown, num: unknown) => ({
  createdAt: time,
  at: time,
  startsAt: time,
  issuedAt: time,
  dueAt: time,
  name: text,
  u: text,
  t: num,
  h: num,
  id: '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6',
});
export const CRAFTED_CURSORS: { label: string; raw: string }[] = [
  { label: 'cursor with garbage times', raw: cursorOf(cursorWith('garbage', 'x', 1)) },
  { label: 'cursor in the year 0000', raw: cursorOf(cursorWith('0000-01-01T00:00:00Z', 'x', 1)) },
  { label: 'cursor with NUL text', raw: cursorOf(cursorWith('2027-01-01T00:00:00Z', 'a\u0000b', 1)) },
  { label: 'cursor with a lone surrogate', raw: cursorOf(cursorWith('2027-01-01T00:00:00Z', 'a\ud800', 1)) },
  { label: 'cursor with huge numbers', raw: cursorOf(cursorWith('2027-01-01T00:00:00Z', 'x', 1e308)) },
  { label: 'cursor with negative numbers', raw: cursorOf(cursorWith('2027-01-01T00:00:00Z', 'x', -1e308)) },
  { label: 'cursor with wrong types', raw: cursorOf(cursorWith(5, 5, 'x')) },
  { label: 'cursor null', raw: cursorOf(null) },
  { label: 'cursor array', raw: cursorOf([1, 2]) },
];

/** Bad values for a path parameter. */
export const BAD_PATH_VALUES: { label: string; raw: string }[] = [
  { label: 'uuid of nothing', raw: '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6' },
  { label: 'nil uuid', raw: '00000000-0000-0000-0000-000000000000' },
  { label: 'garbage', raw: 'abc' },
  { label: 'negative', raw: '-1' },
  { label: 'huge number', raw: '1e999' },
  { label: 'NUL', raw: '%00' },
  { label: 'encoded surrogate', raw: '%ED%A0%80' },
  { label: 'bad percent', raw: '%E0%A4%A' },
  { label: 'emoji', raw: encodeURIComponent('😀') },
  { label: 'markup', raw: encodeURIComponent('<script>') },
  { label: 'dot dot', raw: '..' },
  { label: 'encoded slash', raw: 'a%2Fb' },
  { label: '101 characters', raw: 'a'.repeat(101) },
  { label: '600 characters', raw: '9'.repeat(600) },
  { label: 'sql', raw: encodeURIComponent("1' OR '1'='1") },
];

// ---------------------------------------------------------------------------------------------
// Requests

export interface FuzzCase {
  label: string;
  method: string;
  url: string;
  payload?: string | Buffer;
  headers: Record<string, string>;
}

const JSON_CT = { 'content-type': 'application/json' };

const part = (name: string, body: string | Buffer, filename?: string, type = 'application/octet-stream') =>
  Buffer.concat([
    Buffer.from(`Content-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n`),
    Buffer.from(filename === undefined ? '\r\n' : `Content-Type: ${type}\r\n\r\n`),
    Buffer.from(body),
    Buffer.from('\r\n'),
  ]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Well-formed multipart bodies with bad contents (for the upload and import routes, sent to every body route). */
const MULTIPART: [string, Buffer[]][] = [
  ['multipart empty file', [part('file', '', 'a.png', 'image/png')]],
  ['multipart two files', [part('file', 'abc', 'a.png', 'image/png'), part('file', 'abc', 'b.png', 'image/png')]],
  ['multipart NUL and RTL in the file name', [part('file', 'abc', 'a\u0000\u202egnp.exe', 'image/png')]],
  ['multipart 300-character file name', [part('file', 'abc', `${'长'.repeat(300)}.xlsx`, XLSX)]],
  ['multipart garbage xlsx', [part('file', 'PK\u0003\u0004 not a zip', 'a.xlsx', XLSX)]],
  ['multipart truncated zip', [part('file', Buffer.from('504b0304140000000800', 'hex'), 'a.xlsx', XLSX)]],
  ['multipart svg with script', [part('file', '<svg onload="alert(1)"/>', 'a.svg', 'image/svg+xml')]],
  ['multipart 25 fields', Array.from({ length: 25 }, (_, i) => part(`f${i}`, 'x'))],
  ['multipart field named __proto__', [part('__proto__', 'x'), part('file', 'abc', 'a.png', 'image/png')]],
];

/** Whole-body spoilers for operations that take a body (or might: every POST, PUT, PATCH). */
function bodyCases(base: unknown): { label: string; payload: string | Buffer; headers: Record<string, string> }[] {
  const good = JSON.stringify(base ?? {});
  const withExtra = JSON.stringify({ ...(base && typeof base === 'object' ? base : {}), zzUnknownField: 'x', constructor: { prototype: { polluted: 1 } } });
  return [
    { label: 'malformed JSON (cut short)', payload: good.slice(0, Math.max(1, good.length - 1)), headers: JSON_CT },
    { label: 'malformed JSON (garbage)', payload: '{"a":,}', headers: JSON_CT },
    { label: 'malformed JSON (trailing)', payload: `${good}}`, headers: JSON_CT },
    { label: 'JSON with a BOM', payload: `\ufeff${good}`, headers: JSON_CT },
    { label: 'JSON null', payload: 'null', headers: JSON_CT },
    { label: 'JSON array', payload: '[]', headers: JSON_CT },
    { label: 'JSON string', payload: '"text"', headers: JSON_CT },
    { label: 'JSON number', payload: '1e999', headers: JSON_CT },
    { label: 'JSON deeply nested', payload: `${'['.repeat(3000)}${']'.repeat(3000)}`, headers: JSON_CT },
    { label: 'JSON __proto__', payload: '{"__proto__":{"polluted":1}}', headers: JSON_CT },
    { label: 'JSON with extra fields', payload: withExtra, headers: JSON_CT },
    { label: 'JSON with duplicate keys', payload: good.length > 2 ? `{"a":1,"a":2,${good.slice(1)}` : '{"a":1,"a":2}', headers: JSON_CT },
    { label: 'JSON in latin1 charset', payload: Buffer.from(good, 'latin1'), headers: { 'content-type': 'application/json; charset=latin1' } },
    { label: 'invalid UTF-8 bytes', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: JSON_CT },
    { label: 'text/plain', payload: good, headers: { 'content-type': 'text/plain' } },
    { label: 'form-urlencoded', payload: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { label: 'xml', payload: '<a>1</a>', headers: { 'content-type': 'application/xml' } },
    { label: 'no content type', payload: good, headers: {} },
    { label: 'garbage content type', payload: good, headers: { 'content-type': '%%%;;;=' } },
    { label: 'multipart without boundary', payload: 'garbage', headers: { 'content-type': 'multipart/form-data' } },
    { label: 'multipart with empty boundary', payload: '--\r\nfoo', headers: { 'content-type': 'multipart/form-data; boundary=' } },
    { label: 'multipart garbage', payload: 'garbage--xyz\r\nfoo', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } },
    {
      label: 'multipart cut short',
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    },
    {
      label: 'multipart broken header',
      payload: '--xyz\r\nbroken header line\r\n\r\nabc\r\n--xyz--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    },
    {
      label: 'multipart field only',
      payload: '--xyz\r\nContent-Disposition: form-data; name="note"\r\n\r\n\u0000\r\n--xyz--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    },
    {
      label: 'multipart file not an image',
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="../../x.xlsx"\r\nContent-Type: image/png\r\n\r\nnot a file\r\n--xyz--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    },
    { label: 'body over 1 MiB', payload: JSON.stringify({ a: 'x'.repeat(1_100_000) }), headers: JSON_CT },
    ...MULTIPART.map(([label, parts]) => ({
      label,
      payload: Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from('--xyz\r\n'), Buffer.from(p)])), Buffer.from('--xyz--\r\n')]),
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    })),
  ];
}

/** Builds every request for one operation, then keeps `budget` of them (seeded choice) on top of the ones always sent. */
export function buildCases(o: Operation, w: World, budget: number): FuzzCase[] {
  const rng = seeded(hashOf(o.key));
  const params = o.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = o.op.requestBody?.content['application/json']?.schema;
  const takesBody = o.method !== 'GET' && o.method !== 'DELETE';

  const realPath: Record<string, string> = {};
  for (const p of pathParams) {
    const segs = o.path.split('/');
    const before = segs[segs.indexOf(`{${p.name}}`) - 1] ?? '';
    realPath[p.name] = w.params[p.name] ?? (p.name === 'id' ? w.ids[before] : w.ids[ID_FIELDS[p.name] ?? '']) ?? rng.uuid();
  }
  const url = (pathValues: Record<string, string>, query: [string, string][]) => {
    const path = o.path.replace(/\{(\w+)\}/g, (_, n: string) => pathValues[n] ?? realPath[n]!);
    return query.length ? `${path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : path;
  };
  const baseQuery: [string, string][] = queryParams
    .filter((p) => p.required)
    .map((p) => [p.name, encodeURIComponent(String(plausible(p.schema, p.name, w) as string | number))]);
  const baseBody = bodySchema ? plausible(bodySchema, '', w) : takesBody ? {} : undefined;
  const json = (body: unknown) => (body === undefined ? {} : { payload: JSON.stringify(body), headers: { ...JSON_CT } });

  const always: FuzzCase[] = [
    { label: 'plausible request', method: o.method, url: url({}, baseQuery), ...json(baseBody), headers: json(baseBody).headers ?? {} },
  ];
  const pool: FuzzCase[] = [];
  // Every optional field too (plausible values), so the code behind each one runs once.
  const props = stripNull(bodySchema ?? {}).properties;
  if (props && baseBody && typeof baseBody === 'object') {
    const full = { ...(baseBody as Record<string, unknown>) };
    for (const [k, ps] of Object.entries(props)) if (!(k in full)) full[k] = plausible(ps, k, w);
    always.push({
      label: 'plausible request with every field',
      method: o.method,
      url: url({}, baseQuery),
      payload: JSON.stringify(full),
      headers: { ...JSON_CT },
    });
  }
  const allQuery = queryParams.map((p): [string, string] => [p.name, encodeURIComponent(String(plausible(p.schema, p.name, w) as string | number))]);
  if (allQuery.length > baseQuery.length)
    always.push({ label: 'plausible request with every query parameter', method: o.method, url: url({}, allQuery), headers: {}, ...json(baseBody) });

  for (const p of pathParams) {
    for (const v of BAD_PATH_VALUES) {
      (v.label === 'uuid of nothing' || v.label === '600 characters' ? always : pool).push({
        label: `path ${p.name}: ${v.label}`,
        method: o.method,
        url: url({ [p.name]: v.raw }, baseQuery),
        ...json(baseBody),
        headers: json(baseBody).headers ?? {},
      });
    }
  }
  for (const p of queryParams) {
    for (const v of badParamValues(p.schema)) {
      const q = baseQuery.filter(([k]) => k !== p.name);
      pool.push({ label: `query ${p.name}: ${v.label}`, method: o.method, url: url({}, [...q, [p.name, v.raw]]), headers: {}, ...json(baseBody) });
    }
    if (p.name === 'cursor') {
      for (const v of CRAFTED_CURSORS) {
        const q = baseQuery.filter(([k]) => k !== p.name);
        always.push({ label: `query cursor: ${v.label}`, method: o.method, url: url({}, [...q, [p.name, v.raw]]), headers: {}, ...json(baseBody) });
      }
    }
    pool.push({
      label: `query ${p.name}: repeated`,
      method: o.method,
      url: url({}, [...baseQuery, [p.name, '1'], [p.name, '2']]),
      headers: {},
      ...json(baseBody),
    });
    pool.push({ label: `query ${p.name}: bracketed`, method: o.method, url: url({}, [...baseQuery, [`${p.name}[a]`, '1']]), headers: {}, ...json(baseBody) });
  }
  pool.push({
    label: 'query: unknown and proto keys',
    method: o.method,
    url: url({}, [...baseQuery, ['zz', '1'], ['__proto__', 'x'], ['constructor', 'y']]),
    headers: {},
    ...json(baseBody),
  });

  if (bodySchema?.properties && baseBody && typeof baseBody === 'object') {
    for (const [k, s] of Object.entries(bodySchema.properties)) {
      for (const v of badValues(s, k)) {
        const body = { ...(baseBody as Record<string, unknown>) };
        if (v.value === undefined) delete body[k];
        else body[k] = v.value;
        const c = { label: `body ${k}: ${v.label}`, method: o.method, url: url({}, baseQuery), payload: JSON.stringify(body), headers: { ...JSON_CT } };
        (v.label === 'NUL' || v.label === 'lone high surrogate' || v.label === 'null' ? always : pool).push(c);
      }
      // Nested objects and arrays of objects: spoil their fields too.
      const inner = stripNull(s);
      const objectSchema = inner.type === 'array' ? stripNull(inner.items ?? {}) : inner;
      if (objectSchema.properties) {
        const innerBase = plausible(objectSchema, k, w) as Record<string, unknown>;
        for (const [ik, is] of Object.entries(objectSchema.properties)) {
          for (const v of badValues(is, ik)) {
            const nested = { ...innerBase };
            if (v.value === undefined) delete nested[ik];
            else nested[ik] = v.value;
            const body = { ...(baseBody as Record<string, unknown>), [k]: inner.type === 'array' ? [nested] : nested };
            pool.push({
              label: `body ${k}.${ik}: ${v.label}`,
              method: o.method,
              url: url({}, baseQuery),
              payload: JSON.stringify(body),
              headers: { ...JSON_CT },
            });
          }
        }
      }
    }
  }
  if (takesBody || bodySchema) {
    for (const b of bodyCases(baseBody)) {
      // Routes without a JSON body (multipart uploads and imports, bodyless actions) get every one of them.
      (!bodySchema || b.label.startsWith('malformed JSON (garbage)') || b.label === 'multipart without boundary' ? always : pool).push({
        label: `body: ${b.label}`,
        method: o.method,
        url: url({}, baseQuery),
        payload: b.payload,
        headers: b.headers,
      });
    }
  } else {
    pool.push({ label: 'a JSON body on a bodyless method', method: o.method, url: url({}, baseQuery), payload: '{"a":', headers: { ...JSON_CT } });
  }
  pool.push({
    label: 'header: English',
    method: o.method,
    url: url({}, [...baseQuery, ['q', '%00']]),
    headers: { 'accept-language': 'en' },
    ...json(baseBody),
  });
  pool.push({
    label: 'header: odd Idempotency-Key',
    method: o.method,
    url: url({}, baseQuery),
    ...json(baseBody),
    headers: { ...(json(baseBody).headers ?? {}), 'idempotency-key': 'k'.repeat(300) },
  });

  return [...always, ...rng.shuffle(pool).slice(0, budget)];
}

// ---------------------------------------------------------------------------------------------
// The check

const CODES = new Set<string>(errorCodes);

/** What is wrong with this response, or null: never a 5xx, and every 4xx has API.md's error body exactly. */
export function problemOf(res: { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string }): string | null {
  if (res.statusCode >= 500) return `${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode < 400) return null;
  const ct = [res.headers['content-type'] ?? ''].flat().join(', ');
  if (!ct.startsWith('application/json')) return `${res.statusCode} with content-type ${ct}: ${res.body.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `${res.statusCode} body is not JSON: ${res.body.slice(0, 200)}`;
  }
  const shape = `${res.statusCode} body is not { error: { code, message, details? } }: ${res.body.slice(0, 300)}`;
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'error') return shape;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) return shape;
  const e = error as Record<string, unknown>;
  if (Object.keys(e).some((k) => !['code', 'message', 'details'].includes(k))) return shape;
  if (typeof e.code !== 'string' || !CODES.has(e.code)) return `${res.statusCode} unknown error code: ${res.body.slice(0, 200)}`;
  if (typeof e.message !== 'string' || !e.message) return shape;
  if (
    'details' in e &&
    (!Array.isArray(e.details) ||
      e.details.some(
        (d) => !d || typeof d !== 'object' || typeof (d as { path?: unknown }).path !== 'string' || typeof (d as { message?: unknown }).message !== 'string',
      ))
  )
    return shape;
  if (statusOf(e.code as ErrorCode) !== res.statusCode) return `${res.statusCode} does not match the status of ${e.code}`;
  return null;
}

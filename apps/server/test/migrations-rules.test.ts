import { describe, expect, it } from 'vitest';
import { readMigrations } from '../src/db/migrate.ts';
import { ACCOUNT_TABLES, DEPLOYMENT_TABLES, REFERENCE_TABLES } from '../src/db/table-kinds.ts';

/**
 * DESIGN.md "Beyond one machine": the schema is Citus-ready. This test reads the SQL migrations
 * and fails when a city table's keys, unique/exclusion constraints or foreign keys lack city_code.
 * Every table must be declared in src/db/table-kinds.ts or carry city_code (docs/scale-out.md).
 */
const REFERENCE = REFERENCE_TABLES;
const ACCOUNT = ACCOUNT_TABLES;
const DEPLOYMENT = DEPLOYMENT_TABLES;

interface Table {
  name: string;
  columns: Map<string, string>;
  constraints: string[];
}

function statements(sql: string): string[] {
  const noComments = sql.replace(/--[^\n]*/g, '');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote = false;
  for (const ch of noComments) {
    if (ch === "'") quote = !quote;
    if (!quote) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ';' && depth === 0) {
        out.push(cur.trim());
        cur = '';
        continue;
      }
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  let quote = false;
  for (const ch of body) {
    if (ch === "'") quote = !quote;
    if (!quote && ch === '(') depth++;
    if (!quote && ch === ')') depth--;
    if (ch === ',' && depth === 0 && !quote) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

function cols(list: string): string[] {
  return list.split(',').map((c) => c.trim().replace(/"/g, '').split(/\s+/)[0]!.toLowerCase());
}

function parse() {
  const tables = new Map<string, Table>();
  const uniqueIndexes: { table: string; columns: string[]; sql: string }[] = [];
  const triggers: string[] = [];
  for (const m of readMigrations()) {
    for (const st of statements(m.sql)) {
      const create = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\(([\s\S]*)\)\s*$/i.exec(st);
      if (create) {
        const t: Table = { name: create[1]!.toLowerCase(), columns: new Map(), constraints: [] };
        for (const part of splitTopLevel(create[2]!)) {
          if (/^(CONSTRAINT|PRIMARY KEY|UNIQUE|FOREIGN KEY|EXCLUDE|CHECK)\b/i.test(part)) t.constraints.push(part);
          else {
            const [col, ...rest] = part.split(/\s+/);
            t.columns.set(col!.toLowerCase(), rest.join(' '));
            if (/\bPRIMARY KEY\b|\bUNIQUE\b|\bREFERENCES\b/i.test(rest.join(' '))) t.constraints.push(`INLINE ${part}`);
          }
        }
        tables.set(t.name, t);
        continue;
      }
      const alter = /^ALTER TABLE (?:ONLY )?(\w+)\s+ADD (?:COLUMN )?([\s\S]*)$/i.exec(st);
      if (alter) {
        const t = tables.get(alter[1]!.toLowerCase());
        const what = alter[2]!.trim();
        if (t) {
          if (/^(CONSTRAINT|PRIMARY KEY|UNIQUE|FOREIGN KEY|EXCLUDE)\b/i.test(what)) t.constraints.push(what);
          else {
            const [col, ...rest] = what.split(/\s+/);
            t.columns.set(col!.toLowerCase(), rest.join(' '));
            if (/\bPRIMARY KEY\b|\bUNIQUE\b|\bREFERENCES\b/i.test(rest.join(' '))) t.constraints.push(`INLINE ${what}`);
          }
        }
        continue;
      }
      const ui = /^CREATE UNIQUE INDEX (?:IF NOT EXISTS )?\w+ ON (\w+)(?: USING \w+)?\s*\(([^)]*)\)/i.exec(st);
      if (ui) uniqueIndexes.push({ table: ui[1]!.toLowerCase(), columns: cols(ui[2]!), sql: st });
      if (/^CREATE (?:OR REPLACE )?TRIGGER/i.test(st)) triggers.push(st);
    }
  }
  return { tables, uniqueIndexes, triggers };
}

const { tables, uniqueIndexes, triggers } = parse();
const cityTables = [...tables.values()].filter((t) => !REFERENCE.has(t.name) && !ACCOUNT.has(t.name) && !DEPLOYMENT.has(t.name));

describe('Citus-ready schema rules (read from the migrations)', () => {
  it('finds the tables', () => {
    expect(tables.size).toBeGreaterThan(5);
    expect(cityTables.map((t) => t.name)).toContain('orgs');
  });

  it('every table is a declared reference/account/deployment table or a city table with city_code NOT NULL', () => {
    for (const t of cityTables) {
      expect(
        t.columns.get('city_code'),
        `${t.name} has no city_code: add it, or declare the table's kind in src/db/table-kinds.ts and docs/scale-out.md`,
      ).toBeDefined();
      expect(t.columns.get('city_code')!, `${t.name}.city_code must be NOT NULL`).toMatch(/NOT NULL/i);
    }
  });

  it('primary keys of city tables start with city_code', () => {
    for (const t of cityTables) {
      const pk = t.constraints.find((c) => /PRIMARY KEY/i.test(c));
      expect(pk, `${t.name} has no primary key`).toBeDefined();
      expect(pk!, `${t.name}: inline primary keys cannot include city_code`).not.toMatch(/^INLINE/);
      const list = /PRIMARY KEY\s*\(([^)]*)\)/i.exec(pk!)![1]!;
      expect(cols(list)[0], `${t.name} primary key (${list})`).toBe('city_code');
    }
  });

  it('unique constraints, unique indexes and exclusion constraints of city tables include city_code', () => {
    for (const t of cityTables) {
      for (const c of t.constraints.filter((c) => /\bUNIQUE\b/i.test(c))) {
        expect(c, `${t.name}: inline UNIQUE cannot include city_code`).not.toMatch(/^INLINE/);
        const list = /UNIQUE(?:\s+NULLS\s+NOT\s+DISTINCT)?\s*\(([^)]*)\)/i.exec(c)![1]!;
        expect(cols(list), `${t.name}: ${c}`).toContain('city_code');
      }
      for (const c of t.constraints.filter((c) => /\bEXCLUDE\b/i.test(c))) expect(c, `${t.name}: ${c}`).toMatch(/city_code\s+WITH\s+=/i);
    }
    for (const u of uniqueIndexes.filter((u) => cityTables.some((t) => t.name === u.table))) expect(u.columns, `${u.table}: ${u.sql}`).toContain('city_code');
  });

  it('foreign keys between city tables include city_code; none point from city tables to accounts', () => {
    for (const t of cityTables) {
      for (const c of t.constraints.filter((c) => /REFERENCES/i.test(c))) {
        expect(c, `${t.name}: write foreign keys as table constraints`).not.toMatch(/^INLINE/);
        const m = /FOREIGN KEY\s*\(([^)]*)\)\s*REFERENCES\s+(\w+)\s*\(([^)]*)\)/i.exec(c)!;
        const target = m[2]!.toLowerCase();
        expect(ACCOUNT.has(target), `${t.name} references account table ${target}`).toBe(false);
        expect(DEPLOYMENT.has(target), `${t.name} references deployment table ${target}`).toBe(false);
        if (!REFERENCE.has(target)) {
          expect(cols(m[1]!)[0], `${t.name}: ${c}`).toBe('city_code');
          expect(cols(m[3]!)[0], `${t.name}: ${c}`).toBe('city_code');
        }
      }
    }
  });

  it('no triggers (Citus refuses them on distributed tables; NOTIFY comes from the application)', () => {
    expect(triggers).toEqual([]);
  });
});

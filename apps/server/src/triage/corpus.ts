import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normaliseText } from './tokenizer.ts';

/**
 * The triage reference corpus, `data/triage/corpus.jsonl`: one request a line,
 * `{"text", "category", "nature", "urgency"}`, written for this project in the words of
 * residents of Taiyuan and Datong.
 *
 * Labelling conventions (so that new lines stay consistent):
 * - category is what the request is about, not who writes it: 宣讲/政策解读/党课 → theory;
 *   广场舞、书法、戏曲、图书室 (their noise too) → culture; 作业、留守儿童、学校、入学 → education;
 *   bodily and medical needs, 陪诊, falls and sudden illness, 医保报销 procedures → health;
 *   防诈骗 lectures, phone lessons, 农技, a scam in progress on the phone → science;
 *   disputes, wages, contracts, 拆迁/征地, property-company fees, domestic violence → legal;
 *   shared spaces, sanitation, pollution, noise of works and shops, hazards in 楼道/小区 → environment;
 *   needy households and elderly people living alone (买菜、理发、换灯泡、取暖、走失), 低保, 残疾 → poverty.
 * - nature: petition = an appeal to government over one's own grievance (信访/上访/多次反映无果);
 *   complaint = about a department, company or neighbour, to be forwarded; consult = a question;
 *   service = a need a volunteer team can serve.
 * - urgency: critical = life or safety at risk now; urgent = within hours; normal = the rest.
 */

export type Nature = 'service' | 'petition' | 'complaint' | 'consult';
export type Urgency = 'normal' | 'urgent' | 'critical';

export const NATURES: readonly Nature[] = ['service', 'petition', 'complaint', 'consult'];
export const URGENCIES: readonly Urgency[] = ['normal', 'urgent', 'critical'];

export interface TriageTextExample {
  text: string;
  /** One of the eight codes, or a custom ("8+N") category code. */
  category: string;
  nature: string;
  urgency: string;
}

export const CORPUS_PATH = fileURLToPath(new URL('../../../../data/triage/corpus.jsonl', import.meta.url));

/**
 * The resident-style sets, written apart from the corpus (other wording, elderly speech, dialect,
 * typos, long texts, English and mixed text) and never trained on: `test.jsonl` measures
 * (`npm run eval:triage`), `dev.jsonl` is the one to look at while tuning cues, rules or
 * settings. Each line also says its `style`.
 */
export const TEST_SET_PATH = fileURLToPath(new URL('../../../../data/triage/test.jsonl', import.meta.url));
export const DEV_SET_PATH = fileURLToPath(new URL('../../../../data/triage/dev.jsonl', import.meta.url));

export type SetStyle = 'plain' | 'elder' | 'dialect' | 'typo' | 'long' | 'en' | 'mixed';
export const SET_STYLES: readonly SetStyle[] = ['plain', 'elder', 'dialect', 'typo', 'long', 'en', 'mixed'];

export interface StyledExample extends TriageTextExample {
  style: SetStyle;
}

/** Reads a resident-style set (test or dev); throws a TypeError on a malformed line. */
export function readStyledSet(path: string): StyledExample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (line.trim() === '') return [];
      const where = `${path}:${i + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new TypeError(`${where}: not JSON`);
      }
      const style = (parsed as { style?: unknown }).style;
      if (!(SET_STYLES as readonly unknown[]).includes(style)) throw new TypeError(`${where}: unknown style "${String(style)}"`);
      return [{ ...checkExample(parsed, where), style: style as SetStyle }];
    });
}

/** Checks one example; throws a TypeError naming what is wrong. */
export function checkExample(value: unknown, where = 'example'): TriageTextExample {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: not an object`);
  const v = value as Record<string, unknown>;
  for (const key of ['text', 'category', 'nature', 'urgency'] as const)
    if (typeof v[key] !== 'string' || v[key].trim() === '') throw new TypeError(`${where}: ${key} must be a non-empty string`);
  const e = { text: v.text as string, category: v.category as string, nature: v.nature as string, urgency: v.urgency as string };
  if (!(NATURES as readonly string[]).includes(e.nature)) throw new TypeError(`${where}: unknown nature "${e.nature}"`);
  if (!(URGENCIES as readonly string[]).includes(e.urgency)) throw new TypeError(`${where}: unknown urgency "${e.urgency}"`);
  return e;
}

/** Reads and checks the corpus (cached per path). */
export function readCorpus(path: string = CORPUS_PATH): TriageTextExample[] {
  const cached = cache.get(path);
  if (cached) return cached;
  const rows: TriageTextExample[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new TypeError(`${path}:${i + 1}: not JSON`);
      }
      rows.push(checkExample(parsed, `${path}:${i + 1}`));
    });
  cache.set(path, rows);
  return rows;
}
const cache = new Map<string, TriageTextExample[]>();

/** FNV-1a (32 bit) of the normalised text without spaces: stable across runs and machines. */
export function stableHash(text: string): number {
  const s = normaliseText(text).replace(/\s+/gu, '');
  let h = 0x811c9dc5;
  for (const ch of s) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Deterministic train / held-out split by the hash of the text: an example is held out when
 * `hash % 100 < heldOutPercent` (default 20). Adding lines never moves the others.
 */
export function splitCorpus<T extends { text: string }>(rows: readonly T[], heldOutPercent = 20): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const r of rows) (stableHash(r.text) % 100 < heldOutPercent ? heldOut : train).push(r);
  return { train, heldOut };
}

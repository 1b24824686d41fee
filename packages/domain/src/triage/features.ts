import type { TriageHead, TriageLexicon } from './lexicon.ts';
import { TRIAGE_HEADS } from './lexicon.ts';

/** One lexicon match: the cue `word` of `label` in `head` occurs in the request. */
export interface TriageCue {
  head: TriageHead;
  label: string;
  word: string;
}

export interface TriageFeatureSettings {
  /** Add token bigrams to the unigrams. */
  bigrams: boolean;
  /** Weight of one `cue:<head>:<label>` feature (per matching label, not per word). */
  cueWeight: number;
}

/**
 * Features of one request for one label head, as feature → weight. Counts are binarised (a
 * token that occurs twice counts once), which works better than raw counts for short texts.
 * Only the head's own cues become features: a cue of another head (在哪 → consult) is evidence
 * about that head, and letting it vote on, say, urgency only adds noise.
 * Keys are prefixed (`u:` unigram, `b:` bigram, `cue:`) so that no token can collide with
 * another kind of feature or with an object's built-in keys.
 */
export function triageFeatures(
  tokens: readonly string[],
  lexicon: TriageLexicon,
  settings: TriageFeatureSettings,
): { base: Map<string, number>; cues: TriageCue[]; forHead(head: TriageHead): Map<string, number> } {
  const clean = tokens.map((t) => t.trim()).filter((t) => t.length > 0);
  const base = new Map<string, number>();
  for (const t of clean) base.set(`u:${t}`, 1);
  if (settings.bigrams) for (let i = 1; i < clean.length; i++) base.set(`b:${clean[i - 1]} ${clean[i]}`, 1);
  const cues = matchCues(clean, lexicon);
  const forHead = (head: TriageHead) => {
    const features = new Map(base);
    for (const cue of cues) if (cue.head === head) features.set(`cue:${head}:${cue.label}`, settings.cueWeight);
    return features;
  };
  return { base, cues, forHead };
}

/** Every cue of the lexicon found in the tokens (joined without separators). */
export function matchCues(tokens: readonly string[], lexicon: TriageLexicon): TriageCue[] {
  const joined = tokens.join('');
  const out: TriageCue[] = [];
  if (joined.length === 0) return out;
  for (const head of TRIAGE_HEADS) {
    const byLabel = lexicon[head];
    for (const label of Object.keys(byLabel)) {
      for (const word of byLabel[label] ?? []) {
        if (word.length > 0 && joined.includes(word)) out.push({ head, label, word });
      }
    }
  }
  return out;
}

import type { TriageCue } from './features.ts';
import { triageFeatures } from './features.ts';
import type { TriageHead, TriageLexicon } from './lexicon.ts';
import { TRIAGE_HEADS, TRIAGE_LEXICON } from './lexicon.ts';
import type { NaiveBayesHead, NaiveBayesVariant } from './naive-bayes.ts';
import { countNaiveBayes, logScores, softmax, trainNaiveBayes } from './naive-bayes.ts';

/** One training example: the request already segmented into tokens, and its three labels. */
export interface TriageExample {
  tokens: string[];
  category: string;
  nature: string;
  urgency: string;
}

export interface TriageOptions {
  /** Smoothing constant of naive Bayes; 1 = Laplace. Default 1. */
  alpha?: number;
  /** Naive Bayes variant (see naive-bayes.ts). Default 'complement'. */
  variant?: NaiveBayesVariant;
  /** Use token bigrams besides unigrams. Default true. */
  bigrams?: boolean;
  /** Weight of a lexicon cue feature, learned like the other features. Default 3. */
  cueWeight?: number;
  /**
   * Fixed log-score bonus per matching cue word given to the cue's label (before the
   * temperature), capped at 3 cue words per label. Default 2. 0 = learned cue features only.
   */
  cueBias?: number;
  /** The cue lexicon; default `TRIAGE_LEXICON`. Stored in the model. */
  lexicon?: TriageLexicon;
  /**
   * Folds of the internal cross-validation that fits each head's softmax temperature
   * (calibration). Default 5; 0 or 1 = no calibration (temperature 1). Skipped under 20 examples.
   */
  calibrationFolds?: number;
}

/** A trained triage model: plain JSON (JSON.stringify / JSON.parse round-trips it). */
export interface TriageModel {
  kind: 'wenming.triage.naive-bayes';
  version: 1;
  settings: { alpha: number; variant: NaiveBayesVariant; bigrams: boolean; cueWeight: number; cueBias: number };
  lexicon: TriageLexicon;
  heads: Record<TriageHead, NaiveBayesHead>;
  /** Number of training examples. */
  trainedOn: number;
}

export interface TriageScore {
  label: string;
  /** Probability in [0, 1]; the scores of one head sum to 1. */
  p: number;
}

export interface TriageResult {
  category: string;
  nature: string;
  urgency: string;
  /** min over the three heads of the top class probability, in [0, 1]. */
  confidence: number;
  /** Every label of each head, most probable first. */
  scores: Record<TriageHead, TriageScore[]>;
  /** Lexicon cues found in the request (for explaining the result to a dispatcher). */
  cues: TriageCue[];
}

/**
 * Below this confidence a result should be confirmed by a dispatcher before it drives
 * dispatch. Chosen by cross-validation on the train split of data/triage/corpus.jsonl: about
 * a fifth of the requests fall below 0.6, and they hold about half of the wrong results (all
 * three labels right for ~52 % of them, against ~86 % above). On the held-out split: 25 % flagged,
 * all three labels right for 64 % below against 83 % above (`apps/server/src/triage/eval.ts`).
 * Lower it to flag fewer requests, raise it (0.8 flags ~37 % and catches ~73 % of the errors)
 * where dispatchers have the time.
 */
export const TRIAGE_LOW_CONFIDENCE = 0.6;

/** True when the result should be reviewed by a person (`confidence < threshold`). */
export function isLowConfidence(result: Pick<TriageResult, 'confidence'>, threshold = TRIAGE_LOW_CONFIDENCE): boolean {
  return !(result.confidence >= threshold);
}

const DEFAULTS: Required<Omit<TriageOptions, 'lexicon'>> = { alpha: 1, variant: 'complement', bigrams: true, cueWeight: 3, cueBias: 2, calibrationFolds: 5 };
const MAX_BIASED_CUES_PER_LABEL = 3;
const TEMPERATURES = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30];

/**
 * Trains one naive Bayes per head (category, nature, urgency) on token unigrams, bigrams and
 * the head's lexicon cues, with Laplace smoothing (complement variant by default, see
 * naive-bayes.ts), then fits each head's softmax temperature on out-of-fold scores so that
 * the probabilities are roughly calibrated. Deterministic. Any label strings found in the
 * examples become classes, so custom ("8+N") categories need nothing more than examples.
 */
export function trainTriage(examples: readonly TriageExample[], options: TriageOptions = {}): TriageModel {
  if (examples.length === 0) throw new Error('trainTriage: no training examples');
  const settings = {
    alpha: options.alpha ?? DEFAULTS.alpha,
    variant: options.variant ?? DEFAULTS.variant,
    bigrams: options.bigrams ?? DEFAULTS.bigrams,
    cueWeight: options.cueWeight ?? DEFAULTS.cueWeight,
    cueBias: options.cueBias ?? DEFAULTS.cueBias,
  };
  if (!(settings.alpha > 0)) throw new Error('trainTriage: alpha must be > 0');
  const lexicon = options.lexicon ?? TRIAGE_LEXICON;
  const docs = examples.map((e) => {
    const f = triageFeatures(e.tokens, lexicon, settings);
    const features = { category: f.forHead('category'), nature: f.forHead('nature'), urgency: f.forHead('urgency') };
    return { example: e, cues: f.cues, features };
  });

  const heads = {} as Record<TriageHead, NaiveBayesHead>;
  for (const head of TRIAGE_HEADS) {
    heads[head] = trainNaiveBayes(
      docs.map((d) => ({ features: d.features[head], label: d.example[head] })),
      settings.alpha,
      settings.variant,
    );
  }

  const folds = options.calibrationFolds ?? DEFAULTS.calibrationFolds;
  if (folds > 1 && examples.length >= 20) {
    // Out-of-fold raw scores per head, then the temperature with the least log loss.
    const outOfFold: Record<TriageHead, { scores: number[]; labels: string[]; gold: string }[]> = {
      category: [],
      nature: [],
      urgency: [],
    };
    for (let f = 0; f < folds; f++) {
      const train = docs.filter((_, i) => i % folds !== f);
      const test = docs.filter((_, i) => i % folds === f);
      if (train.length === 0 || test.length === 0) continue;
      for (const head of TRIAGE_HEADS) {
        const nb = countNaiveBayes(
          train.map((d) => ({ features: d.features[head], label: d.example[head] })),
          settings.alpha,
          settings.variant,
        );
        for (const d of test) {
          const bias = cueBias(nb.labels, d.cues, head, settings.cueBias);
          outOfFold[head].push({ scores: logScores(nb, d.features[head], bias), labels: nb.labels, gold: d.example[head] });
        }
      }
    }
    for (const head of TRIAGE_HEADS) heads[head].temperature = fitTemperature(outOfFold[head]);
  }

  return { kind: 'wenming.triage.naive-bayes', version: 1, settings, lexicon, heads, trainedOn: examples.length };
}

/** Classifies a segmented request. Tokens never seen in training are ignored. */
export function classifyTriage(model: TriageModel, tokens: readonly string[]): TriageResult {
  const features = triageFeatures(tokens, model.lexicon, model.settings);
  const cues = features.cues;
  const scores = {} as Record<TriageHead, TriageScore[]>;
  for (const head of TRIAGE_HEADS) {
    const nb = model.heads[head];
    const bias = cueBias(nb.labels, cues, head, model.settings.cueBias);
    const p = softmax(logScores(nb, features.forHead(head), bias), nb.temperature);
    scores[head] = nb.labels.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  }
  const top = (head: TriageHead) => scores[head][0]!;
  const confidence = Math.min(top('category').p, top('nature').p, top('urgency').p);
  return {
    category: top('category').label,
    nature: top('nature').label,
    urgency: top('urgency').label,
    confidence: Math.min(1, Math.max(0, confidence)),
    scores,
    cues: cues.filter((c) => model.heads[c.head].labels.includes(c.label)),
  };
}

function cueBias(labels: readonly string[], cues: readonly TriageCue[], head: TriageHead, perCue: number): Map<string, number> | undefined {
  if (perCue === 0) return undefined;
  const hits = new Map<string, number>();
  for (const c of cues) if (c.head === head && labels.includes(c.label)) hits.set(c.label, (hits.get(c.label) ?? 0) + 1);
  const bias = new Map<string, number>();
  for (const [label, n] of hits) bias.set(label, perCue * Math.min(n, MAX_BIASED_CUES_PER_LABEL));
  return bias;
}

function fitTemperature(items: readonly { scores: number[]; labels: string[]; gold: string }[]): number {
  if (items.length === 0) return 1;
  let best = 1;
  let bestLoss = Infinity;
  for (const t of TEMPERATURES) {
    let loss = 0;
    for (const item of items) {
      const p = softmax(item.scores, t);
      const i = item.labels.indexOf(item.gold);
      // A gold label absent from the fold's training part gets a floor probability.
      loss -= Math.log(Math.max(i >= 0 ? p[i]! : 0, 1e-6));
    }
    if (loss < bestLoss - 1e-9) {
      bestLoss = loss;
      best = t;
    }
  }
  return best;
}

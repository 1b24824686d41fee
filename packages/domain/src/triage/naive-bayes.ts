/**
 * Naive Bayes over weighted features, with Laplace (add-α) smoothing. One instance per label
 * head. Plain data, so a trained model is JSON-serialisable.
 *
 * Two variants share the same counts:
 * - `multinomial`: score(c) = log P(c) + Σ w_f · log P(f | c).
 * - `complement` (Rennie et al., 2003, "Tackling the poor assumptions of naive Bayes text
 *   classifiers"): score(c) = − Σ w_f · log P(f | not c), P estimated from the documents of all
 *   other classes. With unbalanced classes (few `critical` requests, many `normal` ones) the
 *   multinomial variant lets the many ordinary words of a long request outvote its one telling
 *   word, because a small class's smoothed probabilities are all low; the complement variant
 *   estimates every class from a similar amount of data and does not have that bias.
 */
export type NaiveBayesVariant = 'multinomial' | 'complement';

export interface NaiveBayesHead {
  /** Class labels, sorted; every per-label array below is indexed like this one. */
  labels: string[];
  /** Training documents per label. */
  docCounts: number[];
  /** Sum of feature weights per label. */
  totals: number[];
  /** feature → weight per label. Only features seen in training. */
  counts: Record<string, number[]>;
  /** Number of distinct features seen in training. */
  vocabularySize: number;
  /** Smoothing constant (1 = Laplace). */
  alpha: number;
  variant: NaiveBayesVariant;
  /** Softmax temperature applied to the log scores (≥ 1 flattens over-confident NB). */
  temperature: number;
}

export interface LabelledFeatures {
  features: Map<string, number>;
  label: string;
}

/** A head in training form: counts in a Map (fast to build; `trainNaiveBayes` makes it plain JSON). */
export interface NaiveBayesCounts extends Omit<NaiveBayesHead, 'counts'> {
  rows: Map<string, number[]>;
}

export function countNaiveBayes(docs: readonly LabelledFeatures[], alpha: number, variant: NaiveBayesVariant = 'complement'): NaiveBayesCounts {
  const labels = [...new Set(docs.map((d) => d.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i] as const));
  const docCounts = labels.map(() => 0);
  const totals = labels.map(() => 0);
  const rows = new Map<string, number[]>();
  for (const doc of docs) {
    const li = index.get(doc.label)!;
    docCounts[li]! += 1;
    for (const [feature, weight] of doc.features) {
      let row = rows.get(feature);
      if (!row) {
        row = new Array<number>(labels.length).fill(0);
        rows.set(feature, row);
      }
      row[li]! += weight;
      totals[li]! += weight;
    }
  }
  return { labels, docCounts, totals, rows, vocabularySize: rows.size, alpha, variant, temperature: 1 };
}

export function trainNaiveBayes(docs: readonly LabelledFeatures[], alpha: number, variant: NaiveBayesVariant = 'complement'): NaiveBayesHead {
  const { rows, ...head } = countNaiveBayes(docs, alpha, variant);
  return { ...head, counts: Object.fromEntries(rows) };
}

/**
 * Unnormalised log scores per label (see the variants above). Features never seen in
 * training carry no evidence and are skipped (unknown tokens). `bias` adds a fixed amount to a
 * label's score (lexicon cues).
 */
export function logScores(head: NaiveBayesHead | NaiveBayesCounts, features: Map<string, number>, bias?: Map<string, number>): number[] {
  const row: (feature: string) => number[] | undefined =
    'rows' in head ? (f) => head.rows.get(f) : (f) => (Object.hasOwn(head.counts, f) ? head.counts[f] : undefined);
  const k = head.labels.length;
  const v = Math.max(1, head.vocabularySize);
  const a = head.alpha;
  const complement = head.variant === 'complement' && k > 1;
  const n = head.docCounts.reduce((x, y) => x + y, 0);
  const all = head.totals.reduce((x, y) => x + y, 0);
  const scores = head.labels.map((label, i) => {
    const prior = complement ? 0 : Math.log((head.docCounts[i]! + 1) / (n + k));
    return prior + (bias?.get(label) ?? 0);
  });
  const denominators = head.totals.map((t) => Math.log((complement ? all - t : t) + a * v));
  for (const [feature, weight] of features) {
    const counts = row(feature);
    if (!counts) continue;
    if (complement) {
      const rowTotal = counts.reduce((x, y) => x + y, 0);
      for (let i = 0; i < k; i++) scores[i]! -= weight * (Math.log(rowTotal - counts[i]! + a) - denominators[i]!);
    } else {
      for (let i = 0; i < k; i++) scores[i]! += weight * (Math.log(counts[i]! + a) - denominators[i]!);
    }
  }
  return scores;
}

/** Softmax of scores / temperature; sums to 1. */
export function softmax(scores: readonly number[], temperature = 1): number[] {
  if (scores.length === 0) return [];
  const t = temperature > 0 ? temperature : 1;
  const max = Math.max(...scores.map((s) => s / t));
  const exps = scores.map((s) => Math.exp(s / t - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

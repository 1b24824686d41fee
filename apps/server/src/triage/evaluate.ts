import type { TriageHead } from '@wenming/domain';
import { TRIAGE_HEADS } from '@wenming/domain';
import { applyTriageRules } from '@wenming/domain';
import type { StyledExample, TriageTextExample } from './corpus.ts';
import { readCorpus, splitCorpus } from './corpus.ts';
import type { CreateTriageOptions, Triage, TriageClassification } from './triage.ts';
import { createTriage } from './triage.ts';

export interface HeadReport {
  accuracy: number;
  /** Mean probability of the predicted label: close to `accuracy` when calibrated. */
  meanTopP: number;
  labels: string[];
  /** confusion[gold][predicted] = count, over `labels`. */
  confusion: number[][];
  perLabel: { label: string; support: number; precision: number; recall: number; f1: number }[];
}

export interface TriageEvaluation {
  trainSize: number;
  heldOutSize: number;
  trainMs: number;
  heads: Record<TriageHead, HeadReport>;
  /** All three labels right. */
  exact: number;
  lowConfidence: { count: number; exactBelow: number; exactAbove: number };
  predictions: { example: TriageTextExample; result: TriageClassification }[];
}

/** Trains on `train` only and scores the held-out rows. */
export function evaluateTriage(
  split: { train: readonly TriageTextExample[]; heldOut: readonly TriageTextExample[] } = splitCorpus(readCorpus()),
  options: Omit<CreateTriageOptions, 'base'> = {},
): TriageEvaluation {
  const t0 = performance.now();
  const triage = createTriage([], { ...options, base: split.train });
  const trainMs = performance.now() - t0;
  const predictions = split.heldOut.map((example) => ({ example, result: triage.classify(example.text) }));

  const heads = scoreHeads(predictions, [...split.train, ...split.heldOut]);

  const isExact = ({ example, result }: (typeof predictions)[number]) =>
    example.category === result.category && example.nature === result.nature && example.urgency === result.urgency;
  const low = predictions.filter((p) => p.result.lowConfidence);
  const high = predictions.filter((p) => !p.result.lowConfidence);
  const share = (xs: typeof predictions) => (xs.length ? xs.filter(isExact).length / xs.length : 0);
  return {
    trainSize: split.train.length,
    heldOutSize: split.heldOut.length,
    trainMs,
    heads,
    exact: share(predictions),
    lowConfidence: { count: low.length, exactBelow: share(low), exactAbove: share(high) },
    predictions,
  };
}

/** Accuracy, confusion matrix and per-label precision / recall of each head over `labelsFrom`'s labels. */
export function scoreHeads(
  predictions: readonly { example: TriageTextExample; result: Pick<TriageClassification, TriageHead> & { scores?: TriageClassification['scores'] } }[],
  labelsFrom: readonly TriageTextExample[],
): Record<TriageHead, HeadReport> {
  const heads = {} as Record<TriageHead, HeadReport>;
  for (const head of TRIAGE_HEADS) {
    const labels = [...new Set([...labelsFrom, ...predictions.map((p) => p.example)].map((e) => e[head]))].sort();
    const at = new Map(labels.map((l, i) => [l, i] as const));
    const confusion = labels.map(() => labels.map(() => 0));
    let right = 0;
    for (const { example, result } of predictions) {
      const g = at.get(example[head])!;
      const p = at.get(result[head]);
      if (p !== undefined) confusion[g]![p]! += 1;
      if (example[head] === result[head]) right++;
    }
    const perLabel = labels.map((label, i) => {
      const tp = confusion[i]![i]!;
      const support = confusion[i]!.reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
      const precision = predicted ? tp / predicted : 0;
      const recall = support ? tp / support : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      return { label, support, precision, recall, f1 };
    });
    const withScores = predictions.filter((p) => p.result.scores);
    const meanTopP = withScores.length ? withScores.reduce((a, p) => a + p.result.scores![head][0]!.p, 0) / withScores.length : 0;
    heads[head] = { accuracy: predictions.length ? right / predictions.length : 0, meanTopP, labels, confusion, perLabel };
  }
  return heads;
}

export interface SetPrediction {
  example: StyledExample;
  /** What the platform records: the model's guess after the rules (submit-order does the same). */
  result: TriageClassification & { rules: string[] };
}

export interface SetEvaluation {
  size: number;
  heads: Record<TriageHead, HeadReport>;
  exact: number;
  /** Accuracy per head over the requests written in Chinese (styles other than en / mixed). */
  chinese: { size: number; heads: Record<TriageHead, number> };
  /** Accuracy per head and count per style. */
  byStyle: { style: string; n: number; category: number; nature: number; urgency: number }[];
  /** English and mixed requests, and how many of them came out flagged low-confidence. */
  foreign: { size: number; flagged: number };
  lowConfidence: { count: number; exactBelow: number; exactAbove: number };
  predictions: SetPrediction[];
}

/**
 * Scores a resident-style set with the triage the server uses: the model (trained on the whole
 * corpus unless `triage` is given), then `applyTriageRules`. The set is never trained on.
 */
export function evaluateSet(set: readonly StyledExample[], triage: Triage = createTriage()): SetEvaluation {
  const predictions: SetPrediction[] = set.map((example) => {
    const guess = triage.classify(example.text);
    return { example, result: { ...guess, ...applyTriageRules(example.text, guess) } };
  });
  const heads = scoreHeads(predictions, set);
  const isExact = (p: SetPrediction) => TRIAGE_HEADS.every((h) => p.example[h] === p.result[h]);
  const acc = (xs: readonly SetPrediction[], head: TriageHead) => (xs.length ? xs.filter((p) => p.example[head] === p.result[head]).length / xs.length : 0);
  const foreignStyle = (p: SetPrediction) => p.example.style === 'en' || p.example.style === 'mixed';
  const chinese = predictions.filter((p) => !foreignStyle(p));
  const foreign = predictions.filter(foreignStyle);
  const styles = [...new Set(set.map((e) => e.style))];
  const low = predictions.filter((p) => p.result.lowConfidence);
  const high = predictions.filter((p) => !p.result.lowConfidence);
  const share = (xs: readonly SetPrediction[]) => (xs.length ? xs.filter(isExact).length / xs.length : 0);
  return {
    size: set.length,
    heads,
    exact: share(predictions),
    chinese: { size: chinese.length, heads: { category: acc(chinese, 'category'), nature: acc(chinese, 'nature'), urgency: acc(chinese, 'urgency') } },
    byStyle: styles.map((style) => {
      const xs = predictions.filter((p) => p.example.style === style);
      return { style, n: xs.length, category: acc(xs, 'category'), nature: acc(xs, 'nature'), urgency: acc(xs, 'urgency') };
    }),
    foreign: { size: foreign.length, flagged: foreign.filter((p) => p.result.lowConfidence).length },
    lowConfidence: { count: low.length, exactBelow: share(low), exactAbove: share(high) },
    predictions,
  };
}

import type { TriageHead } from '@wenming/domain';
import { TRIAGE_HEADS } from '@wenming/domain';
import type { TriageTextExample } from './corpus.ts';
import { readCorpus, splitCorpus } from './corpus.ts';
import type { CreateTriageOptions, TriageClassification } from './triage.ts';
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

  const heads = {} as Record<TriageHead, HeadReport>;
  for (const head of TRIAGE_HEADS) {
    const labels = [...new Set([...split.train, ...split.heldOut].map((e) => e[head]))].sort();
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
    const meanTopP = predictions.length ? predictions.reduce((a, p) => a + p.result.scores[head][0]!.p, 0) / predictions.length : 0;
    heads[head] = { accuracy: predictions.length ? right / predictions.length : 0, meanTopP, labels, confusion, perLabel };
  }

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

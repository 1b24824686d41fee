import type { TriageExample, TriageModel, TriageOptions, TriageResult } from '@wenming/domain';
import { classifyTriage, isLowConfidence, trainTriage } from '@wenming/domain';
import type { TriageTextExample } from './corpus.ts';
import { checkExample, readCorpus } from './corpus.ts';
import { tokenize } from './tokenizer.ts';

export type { TriageTextExample } from './corpus.ts';

export interface TriageClassification extends TriageResult {
  /** `isLowConfidence(result)`: a dispatcher should confirm the labels. */
  lowConfidence: boolean;
}

export interface Triage {
  /** Category, nature and urgency of a request written by a resident. Synchronous, ~0.1 ms. */
  classify(text: string): TriageClassification;
  /**
   * Trains again on the whole corpus plus `extra`, which REPLACES the previous extra examples
   * (pass all stored dispatcher corrections each time). Synchronous; the new model is used by
   * the next `classify`.
   */
  retrain(extra?: readonly TriageTextExample[]): void;
  /** The current model (plain JSON). */
  readonly model: TriageModel;
  /** Number of examples the current model was trained on (corpus + extra). */
  readonly size: number;
}

export interface CreateTriageOptions extends TriageOptions {
  /** Base examples instead of data/triage/corpus.jsonl (e.g. only the train split, for evaluation). */
  base?: readonly TriageTextExample[];
}

const tokenCache = new WeakMap<object, string[]>();

/** Tokens of an example, cached per example object (the corpus is read once and reused). */
function tokensOf(e: TriageTextExample): string[] {
  let t = tokenCache.get(e);
  if (!t) {
    t = tokenize(e.text);
    tokenCache.set(e, t);
  }
  return t;
}

export function toTrainingExamples(rows: readonly TriageTextExample[]): TriageExample[] {
  return rows.map((e) => ({ tokens: tokensOf(e), category: e.category, nature: e.nature, urgency: e.urgency }));
}

/**
 * Builds the triage of service orders: trained on data/triage/corpus.jsonl plus
 * `extraExamples` (dispatcher corrections). Throws a TypeError on a malformed extra example.
 */
export function createTriage(extraExamples: readonly TriageTextExample[] = [], options: CreateTriageOptions = {}): Triage {
  const { base, ...modelOptions } = options;
  const corpus = base ?? readCorpus();
  let model: TriageModel;
  let size = 0;
  const train = (extra: readonly TriageTextExample[]) => {
    const checked = extra.map((e, i) => checkExample(e, `extra[${i}]`));
    const rows = [...corpus, ...checked];
    model = trainTriage(toTrainingExamples(rows), modelOptions);
    size = rows.length;
  };
  train(extraExamples);
  return {
    classify(text: string): TriageClassification {
      const result = classifyTriage(model, tokenize(text));
      return { ...result, lowConfidence: isLowConfidence(result) };
    },
    retrain(extra: readonly TriageTextExample[] = []) {
      train(extra);
    },
    get model() {
      return model;
    },
    get size() {
      return size;
    },
  };
}

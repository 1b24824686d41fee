import type { TriageExample, TriageModel, TriageOptions, TriageResult } from '@wenming/domain';
import { classifyTriage, isLowConfidence, TRIAGE_LEXICON, trainTriage } from '@wenming/domain';
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
  /**
   * The categories of the catalogue with their keywords (managed in the console): each keyword is
   * a cue of its category, and a category no example teaches yet is learnt from its keywords
   * (one short example each: a service, normal) until dispatchers' corrections teach it more.
   */
  categories?: readonly { code: string; keywords: readonly string[] }[];
}

/** The default lexicon with the catalogue's keywords added to their categories' cues. */
export function lexiconWithCategories(categories: readonly { code: string; keywords: readonly string[] }[]): TriageModel['lexicon'] {
  const category = { ...TRIAGE_LEXICON.category };
  for (const c of categories) if (c.keywords.length) category[c.code] = [...new Set([...(category[c.code] ?? []), ...c.keywords])];
  return { ...TRIAGE_LEXICON, category };
}

/** One example per keyword for each category that no row teaches. */
export function keywordExamples(categories: readonly { code: string; keywords: readonly string[] }[], rows: readonly TriageTextExample[]): TriageTextExample[] {
  const taught = new Set(rows.map((r) => r.category));
  return categories
    .filter((c) => !taught.has(c.code))
    .flatMap((c) => c.keywords.map((k) => ({ text: k, category: c.code, nature: 'service', urgency: 'normal' })));
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
  const { base, categories = [], ...rest } = options;
  const modelOptions: TriageOptions = categories.length ? { lexicon: lexiconWithCategories(categories), ...rest } : rest;
  const corpus = base ?? readCorpus();
  let model: TriageModel;
  let size = 0;
  const train = (extra: readonly TriageTextExample[]) => {
    const checked = extra.map((e, i) => checkExample(e, `extra[${i}]`));
    const rows = [...corpus, ...checked];
    rows.push(...keywordExamples(categories, rows));
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

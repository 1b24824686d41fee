export type { TriageHead, TriageLexicon } from './lexicon.ts';
export { TRIAGE_HEADS, TRIAGE_LEXICON } from './lexicon.ts';
export type { TriageCue } from './features.ts';
export type { NaiveBayesHead } from './naive-bayes.ts';
export { matchCues } from './features.ts';
export type { TriageExample, TriageModel, TriageOptions, TriageResult, TriageScore } from './model.ts';
export { TRIAGE_LOW_CONFIDENCE, classifyTriage, isLowConfidence, trainTriage } from './model.ts';
export { applyTriageRules, type TriageGuess } from './safety-rules.ts';

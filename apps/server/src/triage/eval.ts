/**
 * Held-out evaluation of the triage model.
 *
 *   node --import tsx apps/server/src/triage/eval.ts [--errors]
 *
 * Trains on the train split of data/triage/corpus.jsonl (80 %, by a stable hash of the text),
 * classifies the held-out 20 % and prints accuracy per label head, per-category precision /
 * recall, the category confusion matrix and how the low-confidence flag separates right from
 * wrong. Exits 1 when category accuracy is below 0.85. `--errors` lists the misclassified
 * held-out requests (for reading, not for tuning on them).
 */
import { TRIAGE_HEADS, TRIAGE_LOW_CONFIDENCE } from '@wenming/domain';
import { readCorpus, splitCorpus } from './corpus.ts';
import { evaluateTriage } from './evaluate.ts';

const MIN_CATEGORY_ACCURACY = 0.85;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const padEnd = (s: string, n: number) => s.padEnd(n);

const rows = readCorpus();
const split = splitCorpus(rows);
const report = evaluateTriage(split);

console.log(`triage evaluation — corpus ${rows.length}, train ${report.trainSize}, held-out ${report.heldOutSize}`);
console.log(`training (segmentation + naive Bayes + calibration): ${report.trainMs.toFixed(0)} ms\n`);

console.log('accuracy on held-out (and mean probability of the predicted label, for calibration)');
for (const head of TRIAGE_HEADS) console.log(`  ${padEnd(head, 9)} ${pct(report.heads[head].accuracy)}   (mean p ${pct(report.heads[head].meanTopP)})`);
console.log(`  all three ${pct(report.exact)}\n`);

for (const head of TRIAGE_HEADS) {
  const h = report.heads[head];
  console.log(`${head}: precision / recall`);
  console.log(`  ${padEnd('label', 12)} ${pad('n', 4)} ${pad('prec', 7)} ${pad('recall', 7)} ${pad('f1', 7)}`);
  for (const r of h.perLabel)
    console.log(`  ${padEnd(r.label, 12)} ${pad(r.support, 4)} ${pad(pct(r.precision), 7)} ${pad(pct(r.recall), 7)} ${pad(pct(r.f1), 7)}`);
  console.log('');
}

for (const head of TRIAGE_HEADS) {
  const h = report.heads[head];
  const w = Math.max(5, ...h.labels.map((l) => l.length)) + 1;
  const short = (l: string) => l.slice(0, 5);
  console.log(`${head} confusion matrix (rows = gold, columns = predicted)`);
  console.log(`${padEnd('', w)}${h.labels.map((l) => pad(short(l), 6)).join('')}`);
  h.labels.forEach((l, i) => console.log(`${padEnd(l, w)}${h.confusion[i]!.map((n) => pad(n || '.', 6)).join('')}`));
  console.log('');
}

const lc = report.lowConfidence;
console.log(`low confidence (< ${TRIAGE_LOW_CONFIDENCE}): ${lc.count} of ${report.heldOutSize} (${pct(lc.count / Math.max(1, report.heldOutSize))})`);
console.log(`  all three labels right: ${pct(lc.exactBelow)} below the threshold, ${pct(lc.exactAbove)} at or above it`);

if (process.argv.includes('--errors')) {
  console.log('\nmisclassified held-out requests');
  for (const { example, result } of report.predictions) {
    const wrong = TRIAGE_HEADS.filter((h) => example[h] !== result[h]);
    if (wrong.length === 0) continue;
    const diff = wrong.map((h) => `${h}: ${example[h]} → ${result[h]}`).join(', ');
    console.log(`  [${result.confidence.toFixed(2)}] ${example.text}\n      ${diff}`);
  }
}

const ok = report.heads.category.accuracy >= MIN_CATEGORY_ACCURACY;
console.log(`\ncategory accuracy ${pct(report.heads.category.accuracy)} ${ok ? '≥' : '<'} ${pct(MIN_CATEGORY_ACCURACY)}: ${ok ? 'PASS' : 'FAIL'}`);
process.exitCode = ok ? 0 : 1;

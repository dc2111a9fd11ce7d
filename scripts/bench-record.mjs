// One headline figure of a benchmark, for `npm run bench` to collect into
// BENCHMARKS.md. Run alone, a bench only prints its own table; under
// scripts/bench.mjs (CITES_BENCH_RECORD names a file) each figure is also
// appended there as one JSON line.
//
// A figure: { bench, id, figure, unit, ours, baseline, baselineLabel,
//   better: 'higher' | 'lower',
//   target?: { min } | { max } | { ratioMin } | { ratioMax }  (ratio = ours / baseline),
//   targetText? }
import { appendFileSync } from 'node:fs'

export function record (figure) {
  const file = process.env.CITES_BENCH_RECORD
  if (file === undefined || file === '') return
  if (!Number.isFinite(figure.ours) || !Number.isFinite(figure.baseline)) throw new Error(`bench figure ${figure.id}: not a number`)
  appendFileSync(file, JSON.stringify(figure) + '\n')
}

/** Timing of a repeated render: the first (cold) run apart, median and p95 of the warm ones, in ms. */
import { percentile } from '../../workflows/local/instrumentation.js';

export interface Timings {
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  /** Size of the last output. */
  bytes: number;
}

const round = (ms: number) => Number(ms.toFixed(2));

/**
 * Runs `render(i)` for i = 0 .. runs (0 is the cold run); `render` returns its output's size.
 * `check(i)`, if given, runs after each timed render, untimed.
 */
export async function timeRuns(
  runs: number,
  render: (i: number) => Promise<number>,
  check?: (i: number) => Promise<void>,
): Promise<Timings> {
  const times: number[] = [];
  let coldMs = 0;
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    bytes = await render(i);
    const ms = performance.now() - start;
    if (i === 0) coldMs = ms;
    else times.push(ms);
    await check?.(i);
  }
  times.sort((a, b) => a - b);
  return {
    coldMs: round(coldMs),
    medianMs: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    bytes,
  };
}

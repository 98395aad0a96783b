/**
 * Scaling checks without a clock budget: a test that proves something is linear times two sizes
 * of the same work in the same test and asserts the RATIO of the two times, never a time against
 * a budget (a busy machine slows both alike; speed targets live in `npm run bench`).
 */

/**
 * How many times longer one run of `large` takes than one run of `small`, where `large` is `factor`
 * times the work of `small`: linear work gives about `factor`, quadratic about factor².
 *
 * So that both sides see the same load, `small` is timed `factor` times in a row (a window as long as
 * one `large`), and the two are timed in turn (small block, large, small block, large, ...) after
 * one untimed warm-up of each. The fastest of `runs` of each is kept: load on the machine only ever
 * adds time, so the fastest is the closest to the work's own cost.
 */
export function scalingRatio(small: () => unknown, large: () => unknown, factor: number, runs = 3): number {
  small();
  large();
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let i = 0; i < runs; i++) {
    bestSmall = Math.min(bestSmall, timed(() => {
      for (let k = 0; k < factor; k++) small();
    }) / factor);
    bestLarge = Math.min(bestLarge, timed(large));
  }
  // A run below the timer's resolution would divide by zero.
  return bestLarge / Math.max(bestSmall, 0.001);
}

function timed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * The grid the trained injection weights lie on: multiples of 2^-11 of at most 32767 steps, so that
 * each weight is also a 16-bit integer count of steps.
 *
 * Why a grid: every sum of grid weights is exact in a double, in any order, far past any text's length
 * (exactSumLimit, features.ts: 2^41 here), so a text's features can be added as they are found.
 * Why 16-bit steps: the long-text sum (long-text-dot.ts) walks a text's buckets through the whole table;
 * as Int16Array the 2^18-bucket table is 512 KiB, not 1 MiB, and stays in the processor's L2 cache beside
 * the other stages' tables (measured: 8% less time on the longest prompts, bench:detectors-ab). The sum
 * of the steps is an exact integer, and times 2^-11 it is the same double as the float sum.
 */

/** Grid step of trained weights (at most 2.4e-4 from the fitted value, far below what moves a score). */
export const WEIGHT_STEP = 2 ** -11;
/** Largest number of steps a weight holds (the int16 range; |weight| <= 15.9995). */
const MAX_STEPS = 32767;

/** Weights rounded to multiples of `step`, magnitudes clamped to MAX_STEPS steps. */
export function onGrid(weights: Float32Array, step = WEIGHT_STEP): Float32Array {
  const out = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = Math.max(-MAX_STEPS, Math.min(MAX_STEPS, Math.round(weights[i]! / step))) * step;
  return out;
}

const units = new WeakMap<Float32Array, Int16Array | null>();

/**
 * `weights` as int16 counts of WEIGHT_STEP, or null when some weight is not on the grid (a model trained
 * before it, a test's weights): callers then sum the floats. Computed once per array (a model's weights
 * are read-only once loaded).
 */
export function gridUnits(weights: Float32Array): Int16Array | null {
  let out = units.get(weights);
  if (out !== undefined) return out;
  out = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const steps = weights[i]! / WEIGHT_STEP;
    if (!(Number.isInteger(steps) && Math.abs(steps) <= MAX_STEPS)) {
      out = null;
      break;
    }
    out[i] = steps;
  }
  units.set(weights, out);
  return out;
}

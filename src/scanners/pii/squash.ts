/**
 * `marginConfidence` (infer.ts) from two small tables instead of a `Math.exp` call per token of a
 * kept span (the call was ~2% of the PII benchmark), with the same float32 result.
 *
 * A margin is a non-negative integer m, so exp(-m/d) = exp(-(q·1024)/d) · exp(-r/d) with
 * m = q·1024 + r: two table reads and a product. Both that value and the reference's
 * `Math.exp(-m / d)` are within ~5e-15 of exp(-m/d) for m/d <= 40 (the division rounds by at most
 * 2^-53 relative, which exp turns into m/d · 2^-53; each exp is within an ulp), so 1/(1+y) differs
 * from the reference by < 1e-14. Float32 rounding of a value in [0.5, 1] changes only at odd
 * multiples of 2^-25: when the value is within 2^-24 · 1e-6 (≈ 6e-14) of one, the reference formula
 * runs instead, so the float32 result is always the reference's. From m/d >= 40 on, exp(-m/d) is
 * below 2^-54 and 1/(1+y) is exactly 1 in both.
 */
import { marginConfidence } from './infer.ts';

const LOW_BITS = 10;
const LOW = 1 << LOW_BITS;
/** Margins from m/d >= SATURATED on have confidence exactly 1. */
const SATURATED = 40;
const SCALE = 2 ** 24;

let forDivisor = NaN;
let low = new Float64Array(0);
let high = new Float64Array(0);
let saturatedFrom = 0;

function build(divisor: number): void {
  saturatedFrom = Math.ceil(SATURATED * divisor);
  low = Float64Array.from({ length: LOW }, (_, r) => Math.exp(-r / divisor));
  high = Float64Array.from({ length: (saturatedFrom >> LOW_BITS) + 1 }, (_, q) => Math.exp(-(q * LOW) / divisor));
  forDivisor = divisor;
}

/** `marginConfidence(margin, divisor)`, bit for bit. */
export function squash(margin: number, divisor: number): number {
  if (divisor !== forDivisor) {
    // (a divisor outside what the tables are sized for: the reference, always)
    if (!(divisor > 0 && divisor < 2 ** 20)) return marginConfidence(margin, divisor);
    build(divisor);
  }
  if (!(margin >= 0 && margin < saturatedFrom && margin === Math.floor(margin))) return margin >= saturatedFrom ? 1 : marginConfidence(margin, divisor);
  const s = 1 / (1 + high[margin >> LOW_BITS]! * low[margin & (LOW - 1)]!);
  // distance to the nearest float32 rounding boundary, in units of 2^-24 (boundaries at k + 0.5)
  const t = s * SCALE;
  if (Math.abs(t - Math.floor(t) - 0.5) < 1e-6) return marginConfidence(margin, divisor);
  return Math.fround(s);
}

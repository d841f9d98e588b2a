import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * The statistics of a campaign's hold-out comparison: intervals for the difference of two
 * proportions (normal approximation, unpooled standard error) and of two means (Welch), the
 * minimum detectable effect for the group sizes, and the verdict the owner reads. Plain numbers
 * in, plain numbers out; no database.
 */

/** Two-sided 95 %: α = 0.05. */
export const ALPHA = 0.05;
/** The chance of seeing an effect of the MDE's size when it is there. */
export const POWER = 0.8;
/** Fewer guests than this in either group and the normal approximation is not trusted. */
export const MIN_GROUP_SIZE = 30;
/** The approximation also wants this many who came back and who did not (expected, both groups). */
export const MIN_EXPECTED_COUNT = 5;
/**
 * An interval that includes 0 says "no effect" only when an effect worth having would have shown:
 * while the MDE is above this (10 percentage points of guests coming back) it says "not yet".
 */
export const MAX_USEFUL_MDE = 0.1;

/**
 * The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error
 * below 1.15e-9 over (0, 1)).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ] as const;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

/**
 * The Student t quantile for probability p with `df` degrees of freedom (any real df ≥ 1; Welch's
 * are fractional): Hill's algorithm 396 (Comm. ACM 13, 1970) as the start, then Newton steps
 * against the exact CDF (the regularised incomplete beta), so fractional df are as exact as whole.
 */
export function studentTQuantile(p: number, df: number): number {
  const start = hillTQuantile(p, df);
  if (!Number.isFinite(start) || !Number.isFinite(df) || df > 1e7 || p === 0.5) return start;
  let t = start;
  for (let step = 0; step < 8; step++) {
    const delta = (studentTCdf(t, df) - p) / studentTDensity(t, df);
    t -= delta;
    if (Math.abs(delta) < 1e-12 * Math.max(1, Math.abs(t))) break;
  }
  return t;
}

/** The density of Student's t. */
export function studentTDensity(t: number, df: number): number {
  const logNorm = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** P(T ≤ t) for Student's t: ½·I_{df/(df+t²)}(df/2, ½) in the tail. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularisedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** I_x(a, b) by its continued fraction (modified Lentz), on the side where it converges fast. */
function regularisedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularisedIncompleteBeta(1 - x, b, a);
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x)) / a;
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return front * f;
}

/** Hill's approximation alone (about 4 significant digits for df ≥ 3, exact for df 1 and 2). */
function hillTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  if (!Number.isFinite(df) || df > 1e7) return normalQuantile(p);
  if (p === 0.5) return 0;
  const n = Math.max(1, df);
  // Hill works with the two-tailed probability of |T| > t.
  const twoTail = 2 * Math.min(p, 1 - p);
  const sign = p < 0.5 ? -1 : 1;
  let t: number;
  if (n === 1) {
    const angle = (twoTail * Math.PI) / 2;
    t = Math.cos(angle) / Math.sin(angle);
  } else if (n === 2) {
    t = Math.sqrt(2 / (twoTail * (2 - twoTail)) - 2);
  } else {
    const a = 1 / (n - 0.5);
    const b = 48 / (a * a);
    let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
    const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
    let x = d * twoTail;
    let y = x ** (2 / n);
    if (y > 0.05 + a) {
      // Far in the tail of a small df: start from the normal deviate and correct it.
      x = normalQuantile(twoTail * 0.5);
      y = x * x;
      if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
      c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
      y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
      y = a * y * y;
      y = y > 0.002 ? Math.exp(y) - 1 : 0.5 * y * y + y;
    } else {
      y =
        ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) * ((n + 1) / (n + 2)) +
        1 / y;
    }
    t = Math.sqrt(n * y);
  }
  return sign * t;
}

export type Interval = { estimate: number; low: number; high: number; standardError: number };

/** A group's share: how many of `n` did the thing. */
export type Proportion = { n: number; successes: number };

/**
 * p₁ − p₂ with its 95 % interval by the normal approximation and the unpooled standard error
 * √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂). Null when a group is empty.
 */
export function proportionDifference(first: Proportion, second: Proportion, alpha = ALPHA): Interval | null {
  if (first.n <= 0 || second.n <= 0) return null;
  const p1 = first.successes / first.n;
  const p2 = second.successes / second.n;
  const standardError = Math.sqrt((p1 * (1 - p1)) / first.n + (p2 * (1 - p2)) / second.n);
  const z = normalQuantile(1 - alpha / 2);
  const estimate = p1 - p2;
  return { estimate, low: estimate - z * standardError, high: estimate + z * standardError, standardError };
}

/** A group's mean with its sample variance (n − 1 in the denominator). */
export type Sample = { n: number; mean: number; variance: number };

/**
 * μ₁ − μ₂ with Welch's 95 % interval: SE = √(s₁²/n₁ + s₂²/n₂), the t quantile at the
 * Welch–Satterthwaite degrees of freedom. Null when a group has fewer than 2.
 */
export function welchDifference(first: Sample, second: Sample, alpha = ALPHA): (Interval & { df: number }) | null {
  if (first.n < 2 || second.n < 2) return null;
  const v1 = Math.max(0, first.variance) / first.n;
  const v2 = Math.max(0, second.variance) / second.n;
  const standardError = Math.sqrt(v1 + v2);
  const estimate = first.mean - second.mean;
  if (standardError === 0)
    return { estimate, low: estimate, high: estimate, standardError, df: first.n + second.n - 2 };
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (first.n - 1) + v2 ** 2 / (second.n - 1));
  const t = studentTQuantile(1 - alpha / 2, df);
  return { estimate, low: estimate - t * standardError, high: estimate + t * standardError, standardError, df };
}

/** z₁₋α/₂ + z_power: 1.96 + 0.84 for a two-sided 5 % test at 80 % power. */
function detectableMultiplier(alpha = ALPHA, power = POWER): number {
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

/**
 * The smallest difference of shares the groups' sizes would detect (two-sided α 0.05, power
 * 0.8) when the base rate is `baseRate`: (z₀.₉₇₅ + z₀.₈) · √(p(1−p)(1/n₁ + 1/n₂)). Null for an
 * empty group. A base rate of 0 or 1 is taken as 0.5 (the widest), so a fresh campaign is not
 * promised a precision it has not earned.
 */
export function minimumDetectableEffect(nFirst: number, nSecond: number, baseRate: number): number | null {
  if (nFirst <= 0 || nSecond <= 0) return null;
  const p = baseRate > 0 && baseRate < 1 ? baseRate : 0.5;
  return detectableMultiplier() * Math.sqrt(p * (1 - p) * (1 / nFirst + 1 / nSecond));
}

/** The same for means: (z₀.₉₇₅ + z₀.₈) · √(s₁²/n₁ + s₂²/n₂). */
export function minimumDetectableMeanDifference(first: Sample, second: Sample): number | null {
  if (first.n <= 0 || second.n <= 0) return null;
  return (
    detectableMultiplier() * Math.sqrt(Math.max(0, first.variance) / first.n + Math.max(0, second.variance) / second.n)
  );
}

/**
 * Guests needed in each group (equal groups) to detect a difference of `effect` in the share at
 * base rate `baseRate`: 2·p(1−p)·(z₀.₉₇₅ + z₀.₈)² / effect².
 */
export function guestsNeededPerGroup(effect: number, baseRate: number): number {
  const p = baseRate > 0 && baseRate < 1 ? baseRate : 0.5;
  return Math.ceil((2 * p * (1 - p) * detectableMultiplier() ** 2) / (effect * effect));
}

export type Verdict = "not_enough_data" | "no_effect_detected" | "positive" | "negative";

/** Why the verdict is "not enough data yet" (null otherwise). */
export type VerdictReason = "small_groups" | "few_outcomes" | "interval_too_wide" | null;

/**
 * What the owner is told about the share who came back: sent (target) against held out.
 * - too few guests in a group (< 30), or fewer than 5 expected guests who came back (or did not)
 *   in the smaller group, at the pooled rate: not enough data;
 * - an interval that excludes 0: positive or negative;
 * - an interval with 0 in it while the MDE is above 10 points: not enough data (an effect worth
 *   having could still hide in it); below that: no effect detected.
 */
export function verdictOf(target: Proportion, holdout: Proportion): { verdict: Verdict; reason: VerdictReason } {
  if (target.n < MIN_GROUP_SIZE || holdout.n < MIN_GROUP_SIZE)
    return { verdict: "not_enough_data", reason: "small_groups" };
  const pooled = (target.successes + holdout.successes) / (target.n + holdout.n);
  const smaller = Math.min(target.n, holdout.n);
  if (smaller * pooled < MIN_EXPECTED_COUNT || smaller * (1 - pooled) < MIN_EXPECTED_COUNT) {
    return { verdict: "not_enough_data", reason: "few_outcomes" };
  }
  const difference = proportionDifference(target, holdout);
  if (!difference) return { verdict: "not_enough_data", reason: "small_groups" };
  if (difference.low > 0) return { verdict: "positive", reason: null };
  if (difference.high < 0) return { verdict: "negative", reason: null };
  const mde = minimumDetectableEffect(target.n, holdout.n, holdout.successes / holdout.n);
  if (mde === null || mde > MAX_USEFUL_MDE) return { verdict: "not_enough_data", reason: "interval_too_wide" };
  return { verdict: "no_effect_detected", reason: null };
}

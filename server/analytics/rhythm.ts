import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * The MBG/NBD model (Batislam, Denizel & Filiztekin 2007): the BG/NBD of Fader, Hardie & Lee
 * (2005) in which a guest may also drop out right at the first purchase. While active a guest
 * visits as a Poisson process of rate λ ~ Gamma(r, α); at the first visit and after each one they
 * drop out with probability p ~ Beta(a, b). Time is in days.
 *
 * Likelihood of one guest with x repeat visits, the last at t_x, observed for T since the first:
 *   L = B(a, b+x+1)/B(a,b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
 *     + B(a+1, b+x)/B(a,b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
 * (as coded in lifetimes' ModifiedBetaGeoFitter; Wagner & Hoppe 2008 for the conditional
 * expectation).
 */
export type RhythmParams = { r: number; alpha: number; a: number; b: number };

/** Guests who share a history: x repeat visits, the last t_x days after the first, T days observed. */
export type RhythmPattern = { x: number; tx: number; T: number; count: number };

export type RhythmFit = RhythmParams & {
  logLikelihood: number;
  guests: number;
  patterns: number;
  iterations: number;
};

/** log(1 + e^v) without overflow. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** The log-likelihood of one pattern (one guest). */
export function patternLogLikelihood({ r, alpha, a, b }: RhythmParams, { x, tx, T }: Omit<RhythmPattern, "count">) {
  const first = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
  const stays = gammaln(a + b) + gammaln(b + x + 1) - gammaln(b) - gammaln(a + b + x + 1);
  const observed = -(r + x) * Math.log(alpha + T);
  // log of the second term over the first: the guest dropped out right after the last visit.
  const dropped = Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return first + stays + observed + softplus(dropped);
}

/**
 * The summed log-likelihood of all patterns. Called a few thousand times per fit, so the terms
 * that depend only on x (log-gammas) or only on a day count (logs) are computed once per call,
 * not once per pattern; `days` and `x` must then be whole numbers (the patterns are rounded to days).
 */
export function totalLogLikelihood(params: RhythmParams, patterns: RhythmPattern[], shape = patternShape(patterns)) {
  const { r, alpha, a, b } = params;
  const logAlphaPlus = new Float64Array(shape.maxDay + 1);
  for (let day = 0; day <= shape.maxDay; day++) logAlphaPlus[day] = Math.log(alpha + day);
  const perX = new Map<number, { first: number; stays: number; logBx: number }>();
  const base = -gammaln(r) + r * Math.log(alpha) + gammaln(a + b) - gammaln(b);
  for (const x of shape.xs) {
    perX.set(x, {
      first: gammaln(r + x),
      stays: gammaln(b + x + 1) - gammaln(a + b + x + 1),
      logBx: Math.log(b + x),
    });
  }
  const logA = Math.log(a);
  let sum = 0;
  for (const { x, tx, T, count } of patterns) {
    const terms = perX.get(x) as { first: number; stays: number; logBx: number };
    const logT = logAlphaPlus[T] as number;
    const dropped = logA - terms.logBx + (r + x) * (logT - (logAlphaPlus[tx] as number));
    sum += count * (base + terms.first + terms.stays - (r + x) * logT + softplus(dropped));
  }
  return sum;
}

function patternShape(patterns: RhythmPattern[]) {
  let maxDay = 0;
  const xs = new Set<number>();
  for (const { x, T } of patterns) {
    if (T > maxDay) maxDay = T;
    xs.add(x);
  }
  return { maxDay, xs: [...xs] };
}

/**
 * Compresses guests' histories into distinct patterns with counts (whole days), which is what the
 * fit iterates over: a café's guests share far fewer histories than there are guests.
 */
export function compressHistories(histories: { x: number; tx: number; T: number }[]): RhythmPattern[] {
  const patterns = new Map<string, RhythmPattern>();
  for (const history of histories) {
    const x = Math.max(0, Math.round(history.x));
    const T = Math.max(0, Math.round(history.T));
    const tx = x === 0 ? 0 : Math.min(T, Math.max(0, Math.round(history.tx)));
    const key = `${x}/${tx}/${T}`;
    const pattern = patterns.get(key);
    if (pattern) pattern.count += 1;
    else patterns.set(key, { x, tx, T, count: 1 });
  }
  return [...patterns.values()];
}

/**
 * Maximum-likelihood MBG/NBD parameters for the patterns: Nelder–Mead on the logs of (r, α, a, b),
 * restarted from its best point until a restart no longer improves the likelihood.
 */
export function fitRhythm(patterns: RhythmPattern[]): RhythmFit {
  const shape = patternShape(patterns);
  const guests = patterns.reduce((total, pattern) => total + pattern.count, 0);
  const unpack = (v: number[]): RhythmParams => ({
    r: Math.exp(v[0] as number),
    alpha: Math.exp(v[1] as number),
    a: Math.exp(v[2] as number),
    b: Math.exp(v[3] as number),
  });
  const objective = (v: number[]) => {
    // Far outside any plausible café the logs overflow; such points are simply worse.
    if (v.some((value) => Math.abs(value) > 30)) return Number.POSITIVE_INFINITY;
    const value = -totalLogLikelihood(unpack(v), patterns, shape) / guests;
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  // A start in the right order of magnitude for days: a visit every few days, dropping out slowly.
  let point = [0, Math.log(5), 0, Math.log(3)];
  let best = objective(point);
  let iterations = 0;
  for (let restart = 0; restart < 8; restart++) {
    const result = nelderMead(objective, point, { step: restart === 0 ? 1 : 0.25 });
    iterations += result.iterations;
    const improved = best - result.value;
    point = result.point;
    best = result.value;
    if (restart > 0 && improved < 1e-10) break;
  }
  return { ...unpack(point), logLikelihood: -best * guests, guests, patterns: patterns.length, iterations };
}

/**
 * The probability that a guest with history (x, t_x, T) is still active:
 * 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)).
 */
export function probabilityActive({ r, alpha, a, b }: RhythmParams, x: number, tx: number, T: number): number {
  const ratio = (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(Math.log(a) - Math.log(b + x) + ratio));
}

/**
 * Expected visits in the next `t` days of a guest with history (x, t_x, T):
 *   (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)] / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)),
 * z = t/(α+T+t). Euler's transformation turns the hypergeometric term into
 * (1−z)^(a−1) ₂F₁(a+b−r, a−1; a+b+x; z), whose series converges fast even for guests with
 * hundreds of visits (the original one first grows by a factor of about x·z per term).
 */
export function expectedVisits(params: RhythmParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, b } = params;
  // The formula has a removable singularity at a = 1; a hair beside it changes nothing visible.
  const a = Math.abs(params.a - 1) < 1e-6 ? 1 + 1e-6 : params.a;
  const z = t / (alpha + T + t);
  const hyper = (1 - z) ** (a - 1) * hypergeometric2F1(a + b - r, a - 1, a + b + x, z);
  const numerator = ((a + b + x) / (a - 1)) * (1 - hyper);
  return Math.max(0, numerator * probabilityActive(params, x, tx, T));
}

/** Gauss's ₂F₁(a, b; c; z) by its series, for 0 ≤ z < 1. */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998 coefficients: reflect 1, expand 2,
 * contract ½, shrink ½). Written here because the npm packages for it are unmaintained.
 */
export function nelderMead(
  f: (v: number[]) => number,
  start: number[],
  options: { step?: number; maxIterations?: number; tolerance?: number } = {},
): { point: number[]; value: number; iterations: number } {
  const { step = 1, maxIterations = 2000, tolerance = 1e-10 } = options;
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((point) => ({
    point,
    value: f(point),
  }));
  const along = (from: number[], to: number[], by: number) => from.map((v, i) => v + by * ((to[i] as number) - v));
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0] as { point: number[]; value: number };
    const worst = simplex[n] as { point: number[]; value: number };
    const secondWorst = simplex[n - 1] as { point: number[]; value: number };
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + (p.point[i] as number), 0) / n);
    const reflected = along(centroid, worst.point, -1);
    const reflectedValue = f(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(centroid, worst.point, -2);
      const expandedValue = f(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { point: expanded, value: expandedValue }
          : { point: reflected, value: reflectedValue };
    } else if (reflectedValue < secondWorst.value) {
      simplex[n] = { point: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = along(centroid, outside ? reflected : worst.point, 0.5);
      const contractedValue = f(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) {
        simplex[n] = { point: contracted, value: contractedValue };
      } else {
        simplex = simplex.map((vertex, index) => {
          if (index === 0) return vertex;
          const point = along(best.point, vertex.point, 0.5);
          return { point, value: f(point) };
        });
      }
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  const winner = simplex[0] as { point: number[]; value: number };
  return { point: winner.point, value: winner.value, iterations };
}

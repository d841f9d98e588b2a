import gammaln from "@stdlib/math-base-special-gammaln";
import { describe, expect, it } from "vitest";
import {
  compressHistories,
  expectedVisits,
  fitRhythm,
  hypergeometric2F1,
  patternLogLikelihood,
  probabilityActive,
  type RhythmParams,
} from "./rhythm";

/** mulberry32: a small seeded generator, so the simulated café is the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  /** Marsaglia & Tsang's gamma variate (shape k, scale 1). */
  const gamma = (k: number): number => {
    if (k < 1) return gamma(k + 1) * uniform() ** (1 / k);
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(1 - uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return { uniform, gamma, exponential: (rate: number) => -Math.log(1 - uniform()) / rate };
}

type Simulated = { x: number; tx: number; T: number; activeAtT: boolean; visitsNext30: number };

/**
 * Guests as the MBG/NBD says they behave: rate λ ~ Gamma(r, α), drop-out p ~ Beta(a, b), a chance
 * to drop out at the first visit and after each one; each observed for T days after their first
 * visit, and followed for 30 days more (what the model is asked to predict).
 */
function simulate(params: RhythmParams, guests: number, seed: number): Simulated[] {
  const random = seeded(seed);
  const result: Simulated[] = [];
  for (let i = 0; i < guests; i++) {
    const lambda = random.gamma(params.r) / params.alpha;
    const ga = random.gamma(params.a);
    const p = ga / (ga + random.gamma(params.b));
    const T = 30 + Math.floor(random.uniform() * 336);
    // The first visit is at 0; after it (and after each later one) the guest may drop out.
    let alive = random.uniform() > p;
    let now = 0;
    let x = 0;
    let tx = 0;
    let visitsNext30 = 0;
    let activeAtT = false;
    while (alive) {
      const next = now + random.exponential(lambda);
      if (next >= T) activeAtT = true; // still active when the observation ends
      if (next >= T + 30) break;
      if (next < T) {
        x += 1;
        tx = next;
      } else {
        visitsNext30 += 1;
      }
      now = next;
      alive = random.uniform() > p;
    }
    result.push({ x, tx, T, activeAtT, visitsNext30 });
  }
  return result;
}

const TRUE: RhythmParams = { r: 0.9, alpha: 9, a: 1.3, b: 5 };

describe("the MBG/NBD rhythm", () => {
  const guests = simulate(TRUE, 20_000, 20261207);
  const patterns = compressHistories(guests);

  it("recovers the parameters of a simulated café within 10 %", () => {
    const fit = fitRhythm(patterns);
    expect(fit.guests).toBe(20_000);
    expect(fit.patterns).toBeLessThan(20_000);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit[key] - TRUE[key]) / TRUE[key], `${key}: fitted ${fit[key]}, true ${TRUE[key]}`).toBeLessThan(
        0.1,
      );
    }
    // The maximum is a maximum: the true parameters explain the data no better.
    const atTruth = patterns.reduce((sum, p) => sum + p.count * patternLogLikelihood(TRUE, p), 0);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
  });

  it("the likelihood is a probability: summed over the possible histories it makes 1", () => {
    // P(X(T) = 0) is L(0, 0, T). For x ≥ 1, L is the density of the x visit times; the earlier
    // x − 1 of them, anywhere before t_x, integrate to t_x^(x−1)/(x−1)!, leaving a density in t_x.
    const T = 40;
    const params: RhythmParams = { r: 0.7, alpha: 6, a: 0.9, b: 2.5 };
    let total = Math.exp(patternLogLikelihood(params, { x: 0, tx: 0, T }));
    const steps = 4000;
    for (let x = 1; x <= 80; x++) {
      // Midpoint rule over t_x.
      for (let i = 0; i < steps; i++) {
        const tx = ((i + 0.5) / steps) * T;
        const earlierVisits = (x - 1) * Math.log(tx) - gammaln(x);
        total += (Math.exp(patternLogLikelihood(params, { x, tx, T }) + earlierVisits) * T) / steps;
      }
    }
    expect(total).toBeCloseTo(1, 4);
  });

  it("P(active) and the expected visits of the next 30 days match what the simulated guests did", () => {
    const aliveShare = guests.filter((g) => g.activeAtT).length / guests.length;
    const predictedAlive = guests.reduce((s, g) => s + probabilityActive(TRUE, g.x, g.tx, g.T), 0) / guests.length;
    expect(Math.abs(predictedAlive - aliveShare)).toBeLessThan(0.02);
    const visited = guests.reduce((s, g) => s + g.visitsNext30, 0);
    const predicted = guests.reduce((s, g) => s + expectedVisits(TRUE, g.x, g.tx, g.T, 30), 0);
    expect(Math.abs(predicted - visited) / visited).toBeLessThan(0.05);
  });

  it("a regular who stopped coming is less likely active than one who came yesterday", () => {
    const stillComing = probabilityActive(TRUE, 20, 99, 100);
    const stopped = probabilityActive(TRUE, 20, 40, 100);
    expect(stillComing).toBeGreaterThan(0.9);
    expect(stopped).toBeLessThan(0.1);
    expect(expectedVisits(TRUE, 20, 99, 100, 30)).toBeGreaterThan(3);
    expect(expectedVisits(TRUE, 20, 40, 100, 30)).toBeLessThan(0.5);
  });

  it("Euler's transformation of ₂F₁ agrees with the plain series", () => {
    const [a, b, c, z] = [3.2, 4.5, 6.1, 0.4];
    const plain = hypergeometric2F1(a, b, c, z);
    const euler = (1 - z) ** (c - a - b) * hypergeometric2F1(c - a, c - b, c, z);
    expect(euler).toBeCloseTo(plain, 10);
  });
});

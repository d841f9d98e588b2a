import gammaln from "@stdlib/math-base-special-gammaln";
import { describe, expect, it } from "vitest";
import {
  guestsNeededPerGroup,
  minimumDetectableEffect,
  minimumDetectableMeanDifference,
  normalQuantile,
  proportionDifference,
  studentTQuantile,
  verdictOf,
  welchDifference,
} from "./stats";

/** P(T ≤ t) for Student's t with df degrees of freedom, by Simpson's rule over the density. */
function studentTCdf(t: number, df: number): number {
  const logNorm = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (x: number) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((x * x) / df));
  const steps = 20_000;
  const h = t / steps;
  let sum = density(0) + density(t);
  for (let i = 1; i < steps; i++) sum += density(i * h) * (i % 2 === 1 ? 4 : 2);
  return 0.5 + (sum * h) / 3;
}

describe("normal quantile", () => {
  it.each([
    [0.975, 1.959963985],
    [0.8, 0.8416212336],
    [0.5, 0],
    [0.001, -3.090232306],
    [1e-6, -4.753424309],
    [0.999999, 4.753424309],
  ])("Φ⁻¹(%s) = %s", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });
});

describe("Student t quantile", () => {
  // Tabled values (e.g. Abramowitz & Stegun, table 26.10; R's qt).
  it.each([
    [0.975, 1, 12.7062047],
    [0.975, 2, 4.30265273],
    [0.975, 3, 3.18244631],
    [0.975, 4, 2.77644511],
    [0.975, 5, 2.57058184],
    [0.975, 10, 2.22813885],
    [0.975, 30, 2.04227246],
    [0.975, 48, 2.01063476],
    [0.975, 100, 1.98397152],
    [0.995, 5, 4.03214298],
    [0.95, 10, 1.81246112],
    [0.025, 10, -2.22813885],
  ])("t(%s; df %s) = %s", (p, df, t) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 6);
  });

  it("meets the t distribution's own CDF at fractional degrees of freedom (Welch's)", () => {
    for (const df of [1.5, 2.7, 7.25, 15.6, 47.99]) {
      const t = studentTQuantile(0.975, df);
      expect(studentTCdf(t, df)).toBeCloseTo(0.975, 6);
    }
  });

  it("tends to the normal quantile as the degrees of freedom grow", () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959964, 7);
  });
});

describe("difference of proportions", () => {
  it("uses the unpooled standard error and the normal quantile", () => {
    // 30 % of 400 came back against 15 % of 100: SE = √(.3·.7/400 + .15·.85/100) = √0.0018.
    const interval = proportionDifference({ n: 400, successes: 120 }, { n: 100, successes: 15 });
    expect(interval?.estimate).toBeCloseTo(0.15, 12);
    expect(interval?.standardError).toBeCloseTo(Math.sqrt(0.0018), 12);
    expect(interval?.low).toBeCloseTo(0.066846, 5);
    expect(interval?.high).toBeCloseTo(0.233154, 5);
  });

  it("has no interval for an empty group", () => {
    expect(proportionDifference({ n: 0, successes: 0 }, { n: 10, successes: 3 })).toBeNull();
  });
});

describe("Welch interval for means", () => {
  it("takes the Welch–Satterthwaite degrees of freedom", () => {
    // s₁²/n₁ = 0.2, s₂²/n₂ = 0.3: df = 0.25 / (0.04/19 + 0.09/29) = 47.9965; t(0.975; 48) = 2.010635.
    const interval = welchDifference({ n: 20, mean: 10, variance: 4 }, { n: 30, mean: 8, variance: 9 });
    expect(interval?.df).toBeCloseTo(47.9965, 3);
    expect(interval?.standardError).toBeCloseTo(Math.SQRT1_2, 12);
    expect(interval?.low).toBeCloseTo(2 - 2.010635 * Math.SQRT1_2, 3);
    expect(interval?.high).toBeCloseTo(2 + 2.010635 * Math.SQRT1_2, 3);
  });

  it("widens for small unequal groups (t, not z)", () => {
    const small = welchDifference({ n: 4, mean: 5, variance: 1 }, { n: 4, mean: 5, variance: 1 });
    expect(small?.df).toBeCloseTo(6, 10);
    expect(small?.high).toBeCloseTo(2.446912 * Math.sqrt(0.5), 3);
  });

  it("needs two in each group", () => {
    expect(welchDifference({ n: 1, mean: 5, variance: 0 }, { n: 10, mean: 4, variance: 1 })).toBeNull();
  });
});

describe("minimum detectable effect", () => {
  it("is (1.96 + 0.84)·√(p(1−p)(1/n₁ + 1/n₂))", () => {
    expect(minimumDetectableEffect(1000, 1000, 0.2)).toBeCloseTo(2.801585 * Math.sqrt(0.16 * 0.002), 5);
    expect(minimumDetectableEffect(1000, 1000, 0.2)).toBeCloseTo(0.050116, 5);
  });

  it("shrinks as the groups grow, and is widest without a base rate", () => {
    const small = minimumDetectableEffect(90, 10, 0.2) ?? 0;
    const large = minimumDetectableEffect(9000, 1000, 0.2) ?? 0;
    expect(large).toBeCloseTo(small / 10, 10);
    expect(minimumDetectableEffect(100, 100, 0)).toBeCloseTo(minimumDetectableEffect(100, 100, 0.5) ?? 0, 12);
    expect(minimumDetectableEffect(0, 100, 0.2)).toBeNull();
  });

  it("for means uses both groups' variances", () => {
    expect(
      minimumDetectableMeanDifference({ n: 20, mean: 0, variance: 4 }, { n: 30, mean: 0, variance: 9 }),
    ).toBeCloseTo(2.801585 * Math.SQRT1_2, 5);
  });

  it("tells how many guests per group a 5-point effect at 20 % needs", () => {
    // 2 · 0.16 · 2.801585² / 0.05² = 1004.7
    expect(guestsNeededPerGroup(0.05, 0.2)).toBe(1005);
  });
});

describe("verdict", () => {
  it("says not enough data for small groups, however large the difference", () => {
    expect(verdictOf({ n: 29, successes: 25 }, { n: 29, successes: 0 })).toEqual({
      verdict: "not_enough_data",
      reason: "small_groups",
    });
  });

  it("says not enough data while too few guests came back to trust the approximation", () => {
    expect(verdictOf({ n: 300, successes: 3 }, { n: 40, successes: 0 })).toEqual({
      verdict: "not_enough_data",
      reason: "few_outcomes",
    });
  });

  it("is positive when the interval lies above zero, negative below", () => {
    expect(verdictOf({ n: 400, successes: 120 }, { n: 100, successes: 15 }).verdict).toBe("positive");
    expect(verdictOf({ n: 400, successes: 60 }, { n: 100, successes: 30 }).verdict).toBe("negative");
  });

  it("says not enough data when the interval includes 0 and a 10-point effect could still hide in it", () => {
    // 40 of 50 vs 40 of 50 hold-out guests: MDE ≈ 2.8·√(.16·.04) = 22 points.
    expect(verdictOf({ n: 50, successes: 20 }, { n: 50, successes: 18 })).toEqual({
      verdict: "not_enough_data",
      reason: "interval_too_wide",
    });
  });

  it("says no effect detected when the groups could have shown a 10-point effect and did not", () => {
    expect(verdictOf({ n: 2000, successes: 410 }, { n: 500, successes: 100 })).toEqual({
      verdict: "no_effect_detected",
      reason: null,
    });
  });
});

import { describe, expect, it } from "vitest";
import { type SegmentFacts, segmentOf } from "./segments";

const FIXED = { sleepingAfterDays: 30, lostAfterDays: 90 };
const MIDDLING = { recency: 3, frequency: 3, monetary: 3 };

/** A guest who has come for half a year, every 7 days, last 3 days ago, and is surely still active. */
const steady: SegmentFacts = {
  visits: 26,
  daysSinceFirst: 180,
  daysSinceLast: 3,
  medianGapDays: 7,
  pActive: 0.95,
  topTier: false,
  rfm: MIDDLING,
};

describe("segments by the guest's own rhythm", () => {
  it("a steady guest is regular; a recent first visit is new whatever else holds", () => {
    expect(segmentOf(steady, FIXED)).toBe("regular");
    expect(segmentOf({ ...steady, visits: 1, daysSinceFirst: 12, daysSinceLast: 12, medianGapDays: null }, FIXED)).toBe(
      "new",
    );
    expect(segmentOf({ ...steady, daysSinceFirst: 29, pActive: 0.05 }, FIXED)).toBe("new");
  });

  it("sleeping once away for more than twice the usual gap, even with a high P(active)", () => {
    expect(segmentOf({ ...steady, daysSinceLast: 14 }, FIXED)).toBe("regular");
    expect(segmentOf({ ...steady, daysSinceLast: 15 }, FIXED)).toBe("sleeping");
    // A daily guest is sleeping after three days; a monthly one is not after forty.
    expect(segmentOf({ ...steady, medianGapDays: 1, daysSinceLast: 3 }, FIXED)).toBe("sleeping");
    expect(segmentOf({ ...steady, medianGapDays: 30, daysSinceLast: 40, pActive: 0.8 }, FIXED)).toBe("regular");
  });

  it("sleeping below P(active) 0.5, lost below 0.15", () => {
    expect(segmentOf({ ...steady, pActive: 0.49 }, FIXED)).toBe("sleeping");
    expect(segmentOf({ ...steady, pActive: 0.14 }, FIXED)).toBe("lost");
    expect(segmentOf({ ...steady, pActive: 0.15 }, FIXED)).toBe("sleeping");
  });

  it("fewer than 3 visits: the café's fixed days decide, not the model", () => {
    const twice = { ...steady, visits: 2, daysSinceFirst: 100, medianGapDays: 2, pActive: 0.01 };
    expect(segmentOf({ ...twice, daysSinceLast: 30 }, FIXED)).toBe("regular");
    expect(segmentOf({ ...twice, daysSinceLast: 31 }, FIXED)).toBe("sleeping");
    expect(segmentOf({ ...twice, daysSinceLast: 91 }, FIXED)).toBe("lost");
    expect(segmentOf({ ...twice, daysSinceLast: 50 }, { sleepingAfterDays: 60, lostAfterDays: 120 })).toBe("regular");
  });

  it("loyal: the top tier or RFM champions (4-4-4 and above), unless they stopped coming", () => {
    expect(segmentOf({ ...steady, topTier: true }, FIXED)).toBe("loyal");
    expect(segmentOf({ ...steady, rfm: { recency: 4, frequency: 5, monetary: 4 } }, FIXED)).toBe("loyal");
    expect(segmentOf({ ...steady, rfm: { recency: 5, frequency: 5, monetary: 3 } }, FIXED)).toBe("regular");
    expect(segmentOf({ ...steady, topTier: true, daysSinceLast: 20 }, FIXED)).toBe("sleeping");
  });

  it("without a fitted model (a tiny café) the gap and the fixed lost days still decide", () => {
    const unfitted = { ...steady, pActive: null };
    expect(segmentOf(unfitted, FIXED)).toBe("regular");
    expect(segmentOf({ ...unfitted, daysSinceLast: 20 }, FIXED)).toBe("sleeping");
    expect(segmentOf({ ...unfitted, daysSinceLast: 91 }, FIXED)).toBe("lost");
  });
});

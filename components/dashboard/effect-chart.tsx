"use client";

import { Bar, CartesianGrid, ComposedChart, ReferenceLine, Scatter, Tooltip, XAxis, YAxis } from "recharts";

export type EffectRow = { label: string; estimate: number; low: number; high: number };

/**
 * Incremental effects as intervals (percentage points): a bar from the lower to the upper bound
 * and a dot at the estimate, with zero marked. Hidden from screen readers: the table beside it
 * carries the numbers.
 */
export function EffectChart({
  rows,
  estimateLabel,
  intervalLabel,
}: {
  rows: EffectRow[];
  estimateLabel: string;
  intervalLabel: string;
}) {
  const data = rows.map((row) => ({ ...row, interval: [row.low, row.high] }));
  const bound = Math.max(5, ...rows.flatMap((row) => [Math.abs(row.low), Math.abs(row.high)]));
  const limit = Math.ceil(bound / 5) * 5;
  return (
    <div aria-hidden="true" className="mt-3 w-full max-w-2xl">
      <ComposedChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: Math.max(110, rows.length * 48 + 40) }}
        data={data}
        margin={{ top: 8, right: 24, bottom: 8, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid horizontal={false} stroke="#3b241820" />
        <XAxis
          type="number"
          domain={[-limit, limit]}
          tickFormatter={(value: number) => `${value}`}
          tick={{ fill: "#3b2418", fontSize: 12 }}
          unit=" pp"
        />
        <YAxis type="category" dataKey="label" width={120} tick={{ fill: "#3b2418", fontSize: 12 }} />
        <Tooltip />
        <ReferenceLine x={0} stroke="#3b2418" strokeWidth={1.5} />
        <Bar dataKey="interval" name={intervalLabel} fill="#c8a27a" barSize={14} isAnimationActive={false} />
        <Scatter dataKey="estimate" name={estimateLabel} fill="#3b2418" isAnimationActive={false} />
      </ComposedChart>
    </div>
  );
}

/** The two groups' shares who came back, side by side (percent). */
export function GroupsChart({ rows }: { rows: { label: string; share: number }[] }) {
  return (
    <div aria-hidden="true" className="mt-3 w-full max-w-md">
      <ComposedChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: 120 }}
        data={rows}
        margin={{ top: 0, right: 24, bottom: 0, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid horizontal={false} stroke="#3b241820" />
        <XAxis type="number" domain={[0, 100]} unit=" %" tick={{ fill: "#3b2418", fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={140} tick={{ fill: "#3b2418", fontSize: 12 }} />
        <Bar dataKey="share" fill="#7a4a2b" barSize={18} isAnimationActive={false} />
      </ComposedChart>
    </div>
  );
}

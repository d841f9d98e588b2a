"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompactNumber, formatMoney } from "@/server/format";

export type RevenuePoint = { label: string; current: number; previous: number | null };

/**
 * Revenue day by day: this period's bars against the previous period's line (the same position in
 * each period). Drawn in the browser; the numbers are also in a table beside it for screen readers.
 */
export function RevenueChart({
  data,
  currency,
  locale,
  names,
}: {
  data: RevenuePoint[];
  currency: string;
  locale: string;
  names: { current: string; previous: string };
}) {
  const money = (value: number) => formatMoney(value, currency, locale);
  return (
    <div aria-hidden="true" className="mt-3 w-full max-w-4xl">
      <ComposedChart
        responsive
        style={{ width: "100%", height: 260 }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid vertical={false} stroke="#3b241820" />
        <XAxis dataKey="label" tick={{ fill: "#3b2418", fontSize: 12 }} minTickGap={12} />
        <YAxis
          width={56}
          tick={{ fill: "#3b2418", fontSize: 12 }}
          tickFormatter={(value: number) => formatCompactNumber(value / 100, locale)}
        />
        <Tooltip formatter={(value) => (typeof value === "number" ? money(value) : String(value))} />
        <Legend />
        <Bar dataKey="current" name={names.current} fill="#7a4a2b" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line
          dataKey="previous"
          name={names.previous}
          stroke="#2f6b4f"
          strokeWidth={2}
          strokeDasharray="5 4"
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </div>
  );
}

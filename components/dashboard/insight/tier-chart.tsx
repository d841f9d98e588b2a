"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

/** Guests per tier as horizontal bars (the table beside it carries the numbers for screen readers). */
export function TierChart({ data, guestsLabel }: { data: { name: string; guests: number }[]; guestsLabel: string }) {
  return (
    <div aria-hidden="true" className="mt-3 w-full max-w-xl">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: Math.max(120, data.length * 44) }}
        data={data}
        margin={{ top: 0, right: 16, bottom: 0, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid horizontal={false} stroke="#3b241820" />
        <XAxis type="number" allowDecimals={false} tick={{ fill: "#3b2418", fontSize: 12 }} />
        <YAxis type="category" dataKey="name" width={96} tick={{ fill: "#3b2418", fontSize: 12 }} />
        <Tooltip />
        <Bar dataKey="guests" name={guestsLabel} fill="#7a4a2b" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

"use client";

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

/** The month's effect item by item (gains up, costs down), in major units; the table beside it has the numbers. */
export function RoiChart({ rows }: { rows: { label: string; amount: number }[] }) {
  return (
    <div aria-hidden="true" className="mt-3 w-full max-w-2xl">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: rows.length * 40 + 30 }}
        data={rows}
        margin={{ top: 0, right: 24, bottom: 0, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid horizontal={false} stroke="#3b241820" />
        <XAxis type="number" tick={{ fill: "#3b2418", fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={160} tick={{ fill: "#3b2418", fontSize: 12 }} />
        <Tooltip />
        <ReferenceLine x={0} stroke="#3b2418" />
        <Bar dataKey="amount" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.label} fill={row.amount >= 0 ? "#3f6b3a" : "#9b2c2c"} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}

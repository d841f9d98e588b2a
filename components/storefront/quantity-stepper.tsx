"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";

/** − n + with large touch targets; the buttons name what they change ("Fewer: Капучино"). */
export function QuantityStepper({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  const t = useTranslations("shop.quantity");
  const id = useId();
  return (
    <fieldset aria-labelledby={id} className="flex items-center gap-2">
      <legend id={id} className="sr-only">
        {label}
      </legend>
      <button
        type="button"
        onClick={() => onChange(Math.max(min, value - 1))}
        disabled={value <= min}
        aria-label={t("decrease", { label })}
        className="size-11 rounded-full border border-espresso/40 text-xl font-semibold disabled:opacity-40"
      >
        −
      </button>
      <output
        aria-live="polite"
        aria-label={t("value", { label, count: value })}
        className="min-w-8 text-center text-lg font-semibold"
      >
        {value}
      </output>
      <button
        type="button"
        onClick={() => onChange(Math.min(max, value + 1))}
        disabled={value >= max}
        aria-label={t("increase", { label })}
        className="size-11 rounded-full border border-espresso/40 text-xl font-semibold disabled:opacity-40"
      >
        +
      </button>
    </fieldset>
  );
}

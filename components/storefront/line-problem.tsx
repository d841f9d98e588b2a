"use client";

import { useTranslations } from "next-intl";
import type { LineProblem } from "@/server/menu/pricing";

/** Why a cart line cannot be ordered as it is. */
export function LineProblemNote({ problem }: { problem: LineProblem }) {
  const t = useTranslations("shop.lineProblem");
  return <p className="mt-1 text-sm font-semibold text-red-800">{t(problem)}</p>;
}

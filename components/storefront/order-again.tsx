"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { reorderAction } from "@/app/[tenant]/orders/actions";
import { addToCart } from "./cart-store";

type Outcome = { added: number; missing: string[] } | { failed: true };

/**
 * "Order again": puts what of a past order is still sold into the cart (the server checks it
 * against today's menu at the chosen location) and says what was not, with the way to the cart.
 */
export function OrderAgain({ tenant, orderId }: { tenant: string; orderId: string }) {
  const t = useTranslations("waysBack.reorder");
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const again = () =>
    start(async () => {
      const answer = await reorderAction(tenant, orderId);
      if (answer.error || !answer.items) {
        setOutcome({ failed: true });
        return;
      }
      for (const item of answer.items) addToCart(tenant, item);
      setOutcome({ added: answer.items.length, missing: answer.missing ?? [] });
    });
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        onClick={again}
        disabled={pending}
        className="min-h-11 self-start rounded-xl border border-espresso/40 bg-white px-4 py-2 font-semibold disabled:opacity-60"
      >
        {pending ? t("adding") : t("again")}
      </button>
      <div role="status" className="text-sm empty:hidden">
        {outcome && "failed" in outcome ? <p className="text-red-800">{t("failed")}</p> : null}
        {outcome && "added" in outcome ? (
          <>
            <p>{outcome.added > 0 ? t("added", { count: outcome.added }) : t("nothing")}</p>
            {outcome.added > 0 && outcome.missing.length > 0 ? (
              <p>{t("missing", { names: outcome.missing.join(", ") })}</p>
            ) : null}
            {outcome.added > 0 ? (
              <a href={`/${tenant}/cart`} className="font-semibold underline">
                {t("toCart")}
              </a>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}

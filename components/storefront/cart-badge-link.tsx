"use client";

import { useCart } from "./cart-store";

/** The badge's label in every plural form of the locale ("#" stands for the count). */
export type CartBadgeLabels = { locale: string; empty: string; forms: Partial<Record<Intl.LDMLPluralRule, string>> };

/**
 * The header's link to the cart with the number of items in it (read from this browser's cart).
 * Its label comes ready-made from the server, so the menu page ships no message formatter.
 */
export function CartBadgeLink({ tenant, labels }: { tenant: string; labels: CartBadgeLabels }) {
  const lines = useCart(tenant);
  const count = lines?.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
  const form = labels.forms[new Intl.PluralRules(labels.locale).select(count)] ?? labels.forms.other ?? "#";
  return (
    // A plain link, navigated in the app by LinkNavigation (app/[tenant]/layout.tsx).
    <a
      href={`/${tenant}/cart`}
      aria-label={count === 0 ? labels.empty : form.replace("#", String(count))}
      className="relative flex min-h-11 items-center gap-1 rounded-lg px-2 py-1 font-medium hover:bg-white"
      data-testid="cart-badge"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2">
        <path
          d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6.2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
        <circle cx="10" cy="20.5" r="1.3" />
        <circle cx="17" cy="20.5" r="1.3" />
      </svg>
      {count > 0 ? (
        <span
          aria-hidden="true"
          className="min-w-6 rounded-full bg-leaf px-1.5 text-center text-sm font-bold text-white"
        >
          {count}
        </span>
      ) : null}
    </a>
  );
}

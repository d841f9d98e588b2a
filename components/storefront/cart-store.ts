"use client";

import { useMemo, useSyncExternalStore } from "react";
import type { BasketItem, ChosenModifier } from "@/server/menu/pricing";
import { MAX_QUANTITY } from "@/server/menu/pricing";

/**
 * The guest's cart, kept in localStorage per café so it survives reloads. It holds what was
 * chosen — SKU, options, quantity — and never a price: prices always come from the server's menu.
 */
export type CartLine = BasketItem & { id: string };

const CHANGED = "zerno-cart-changed";
const cartKey = (tenant: string) => `zerno:cart:${tenant}`;
const checkoutKey = (tenant: string) => `zerno:checkout:${tenant}`;

function parse(raw: string | null): CartLine[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.flatMap((line): CartLine[] => {
      if (!line || typeof line !== "object") return [];
      const { id, productSku, variantSlug, quantity, modifiers } = line as Record<string, unknown>;
      if (typeof id !== "string" || typeof productSku !== "string" || typeof quantity !== "number") return [];
      const chosen = Array.isArray(modifiers)
        ? modifiers
            .filter(
              (m): m is ChosenModifier =>
                Boolean(m) && typeof m.groupSlug === "string" && typeof m.optionSlug === "string",
            )
            .map(({ groupSlug, optionSlug, quantity: times }) =>
              typeof times === "number" && times > 1
                ? { groupSlug, optionSlug, quantity: times }
                : { groupSlug, optionSlug },
            )
        : [];
      return [
        {
          id,
          productSku,
          ...(typeof variantSlug === "string" ? { variantSlug } : {}),
          quantity: clampQuantity(quantity),
          modifiers: chosen,
        },
      ];
    });
  } catch {
    return [];
  }
}

/** A random id; crypto.randomUUID exists only on https and localhost, getRandomValues everywhere. */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function clampQuantity(quantity: number): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(quantity) || 1));
}

function read(tenant: string): CartLine[] {
  try {
    return parse(window.localStorage.getItem(cartKey(tenant)));
  } catch {
    return [];
  }
}

function write(tenant: string, lines: CartLine[]): void {
  try {
    window.localStorage.setItem(cartKey(tenant), JSON.stringify(lines));
  } catch {
    // Private mode or a full quota: the cart then lives until the page closes.
  }
  window.dispatchEvent(new Event(CHANGED));
}

/** Same product, size and options (with their quantities): adding it again raises the quantity instead of a new line. */
function sameChoice(a: BasketItem, b: BasketItem): boolean {
  const key = (item: BasketItem) =>
    `${item.productSku}|${item.variantSlug ?? ""}|${item.modifiers
      .map((m) => `${m.groupSlug}/${m.optionSlug}×${m.quantity ?? 1}`)
      .sort()
      .join(",")}`;
  return key(a) === key(b);
}

/** Adds to the cart and says how many were added: fewer than asked when a line reaches its maximum. */
export function addToCart(tenant: string, item: BasketItem): number {
  const lines = read(tenant);
  const existing = lines.find((line) => sameChoice(line, item));
  const before = existing?.quantity ?? 0;
  const quantity = clampQuantity(before + item.quantity);
  if (existing) existing.quantity = quantity;
  else lines.push({ ...item, quantity, id: newId() });
  write(tenant, lines);
  return quantity - before;
}

export function setQuantity(tenant: string, id: string, quantity: number): void {
  write(
    tenant,
    read(tenant).map((line) => (line.id === id ? { ...line, quantity: clampQuantity(quantity) } : line)),
  );
}

export function removeLine(tenant: string, id: string): void {
  write(
    tenant,
    read(tenant).filter((line) => line.id !== id),
  );
}

export function clearCart(tenant: string): void {
  write(tenant, []);
}

function subscribe(onChange: () => void): () => void {
  // `storage` fires for changes made in other tabs; CHANGED for this one.
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

/** The cart's lines, or null while the server renders (localStorage exists only in the browser). */
export function useCart(tenant: string): CartLine[] | null {
  const raw = useSyncExternalStore(
    subscribe,
    () => {
      try {
        return window.localStorage.getItem(cartKey(tenant)) ?? "";
      } catch {
        return "";
      }
    },
    () => null,
  );
  return useMemo(() => (raw === null ? null : parse(raw)), [raw]);
}

/**
 * The idempotency key of this checkout: made once and kept in the tab (sessionStorage) across a
 * double submit or a reload, so a retry returns the first order instead of placing a second. A
 * changed basket is a new checkout and gets a new key; another tab has its own.
 */
let lastCheckout: { tenant: string; fingerprint: string; key: string } | null = null;

export function checkoutIdempotencyKey(tenant: string, basket: unknown): string {
  const fingerprint = JSON.stringify(basket);
  if (lastCheckout?.tenant === tenant && lastCheckout.fingerprint === fingerprint) return lastCheckout.key;
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(checkoutKey(tenant)) ?? "null") as {
      key?: unknown;
      fingerprint?: unknown;
    } | null;
    if (stored && typeof stored.key === "string" && stored.fingerprint === fingerprint) {
      lastCheckout = { tenant, fingerprint, key: stored.key };
      return stored.key;
    }
  } catch {
    // An unreadable entry is replaced below.
  }
  const key = newId();
  lastCheckout = { tenant, fingerprint, key };
  try {
    window.sessionStorage.setItem(checkoutKey(tenant), JSON.stringify({ key, fingerprint }));
  } catch {
    // Without sessionStorage the key still holds for this page's submits (lastCheckout).
  }
  return key;
}

/** Forgets the finished checkout's key (the next basket is a new checkout). */
export function finishCheckout(tenant: string): void {
  lastCheckout = null;
  try {
    window.sessionStorage.removeItem(checkoutKey(tenant));
  } catch {
    // Nothing stored.
  }
}

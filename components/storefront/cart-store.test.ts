import { beforeEach, describe, expect, it } from "vitest";
import { MAX_QUANTITY } from "@/server/menu/pricing";
import { addToCart, clearCart } from "./cart-store";

// The store keeps the cart in the browser's localStorage: a plain in-memory one stands in here.
const stored = new Map<string, string>();
Object.assign(globalThis, {
  window: Object.assign(new EventTarget(), {
    localStorage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    },
  }),
});

const latte = (quantity: number) => ({
  productSku: "latte",
  quantity,
  modifiers: [{ groupSlug: "size", optionSlug: "m" }],
});

describe("adding to the cart", () => {
  beforeEach(() => clearCart("cafe"));

  it("says how many were added: all of them, then only up to the line's maximum", () => {
    expect(addToCart("cafe", latte(MAX_QUANTITY - 3))).toBe(MAX_QUANTITY - 3);
    expect(addToCart("cafe", latte(5))).toBe(3);
    expect(addToCart("cafe", latte(1))).toBe(0);
    const [line, ...others] = JSON.parse(stored.get("zerno:cart:cafe") ?? "[]");
    expect(others).toEqual([]);
    expect(line).toMatchObject({ productSku: "latte", quantity: MAX_QUANTITY });
  });
});

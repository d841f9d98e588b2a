import { describe, expect, it } from "vitest";
import { offerEmail } from "./notify";

// Intl uses non-breaking and narrow spaces; compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

const grant = {
  grantId: "0190f0a0-0000-7000-8000-000000000001",
  guestId: "0190f0a0-0000-7000-8000-000000000002",
  email: "guest@example.com",
  title: { ru: "Капучино в подарок", en: "A free cappuccino" },
  minCheck: 35_050,
  validUntil: null,
};

describe("the personal offer email", () => {
  it("writes the minimum check and the last day the café's way, in the email's language", () => {
    // 23:30 on 31 December in Moscow (20:30 UTC): still the 31st there.
    const moscow = { id: "t1", slug: "demo", name: "Зерно", locale: "ru", currency: "RUB", timezone: "Europe/Moscow" };
    const ru = plain(offerEmail(moscow, { ...grant, expiresAt: new Date("2026-12-31T20:30:00Z") }).text);
    expect(ru).toContain("При заказе от 350,50 ₽");
    expect(ru).toContain("Действует до 31 декабря 2026 г.");

    // The same moment is already 1 January in Tokyo; euros for an English reader.
    const tokyo = { id: "t2", slug: "north", name: "North", locale: "en", currency: "EUR", timezone: "Asia/Tokyo" };
    const en = plain(offerEmail(tokyo, { ...grant, expiresAt: new Date("2026-12-31T20:30:00Z") }).text);
    expect(en).toContain("On orders from €350.50");
    expect(en).toContain("Valid until January 1, 2027");
  });
});

import type { campaigns } from "@/db/schema";
import { renderEmail } from "../email/templates";
import { isLocale, type Locale } from "../i18n/locales";

/** What a campaign's templates say: `{name}`, `{favourite}`, `{points}` and `{cafe}` are filled in per guest. */
export type CampaignTemplate = Pick<typeof campaigns.$inferSelect, "subject" | "body">;

/** What is known of one guest when their message is rendered. */
export type MessageFacts = {
  guestName: string;
  /** The guest's favourite product (guest_stats.favourite_name), when they have one. */
  favouriteProduct?: string;
  points: number;
  cafeName: string;
  /** ru or en; anything else renders in Russian. */
  locale: string;
  /** The signed unsubscribe page (a visible link in the body, as marketing mail must carry). */
  unsubscribeUrl?: string;
  /** The button: the guest's account at the café. */
  cabinetUrl?: string;
};

export type RenderedMessage = { subject: string; html: string; text: string };

const FALLBACK: Record<Locale, { name: string; favourite: string; open: string; why: string }> = {
  ru: {
    name: "гость",
    favourite: "любимый напиток",
    open: "Открыть личный кабинет",
    why: "Вы получили это письмо, потому что согласились получать новости и предложения от кофейни.",
  },
  en: {
    name: "friend",
    favourite: "favourite drink",
    open: "Open your account",
    why: "You get this email because you agreed to receive news and offers from the café.",
  },
};

/** The placeholders a template may use. */
export const PLACEHOLDERS = ["name", "favourite", "points", "cafe"] as const;

/** Fills `{name}`, `{favourite}`, `{points}`, `{cafe}` in plain text; unknown braces stay as typed. */
export function fillTemplate(template: string, values: Record<(typeof PLACEHOLDERS)[number], string>): string {
  return template.replace(/\{(name|favourite|points|cafe)\}/g, (_, key: keyof typeof values) => values[key]);
}

/**
 * One guest's message of a campaign in their café's language: the subject and body templates
 * filled in (plain text — the HTML is escaped by the email template, so a guest named
 * `<script>` is shown, never run), the account button, and the unsubscribe link.
 */
export function renderCampaignMessage(campaign: CampaignTemplate, facts: MessageFacts): RenderedMessage {
  const locale: Locale = isLocale(facts.locale) ? facts.locale : "ru";
  const words = FALLBACK[locale];
  const values = {
    name: facts.guestName.trim() || words.name,
    favourite: facts.favouriteProduct?.trim() || words.favourite,
    points: new Intl.NumberFormat(locale).format(facts.points),
    cafe: facts.cafeName,
  };
  const subject = fillTemplate(campaign.subject, values).replace(/\s+/g, " ").trim();
  const { html, text } = renderEmail({
    title: subject,
    intro: fillTemplate(campaign.body, values),
    action: facts.cabinetUrl ? { label: words.open, url: facts.cabinetUrl } : undefined,
    footer: words.why,
    unsubscribeUrl: facts.unsubscribeUrl,
    locale,
  });
  return { subject, html, text };
}

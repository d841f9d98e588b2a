import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";

/** What every platform email consists of; all text is plain text and is escaped here. */
export type EmailContent = {
  title: string;
  /** Plain text; a blank line starts a new paragraph. */
  intro: string;
  /** The one thing the reader should do (accept an invitation, sign in, reset a password). */
  action?: { label: string; url: string };
  footer?: string;
  /** Marketing mail must carry a visible one-click unsubscribe link. */
  unsubscribeUrl?: string;
  locale?: Locale;
};

const STRINGS: Record<Locale, { fallback: string; unsubscribe: string }> = {
  ru: { fallback: "Если кнопка не работает, скопируйте ссылку в браузер:", unsubscribe: "Отписаться от рассылки" },
  en: { fallback: "If the button does not work, copy this link into your browser:", unsubscribe: "Unsubscribe" },
};

const COLORS = { espresso: "#3b2418", crema: "#f6efe6", roast: "#7a4a2b", muted: "#5c4a3f" };
const FONT = "-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Only http(s) links go into mail: a `javascript:` or `data:` URL would be a bug (or an attack). */
function linkUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`Email links must be http(s), got ${parsed.protocol}`);
  }
  return parsed.href;
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Renders a platform email as inline-styled, table-based HTML (what mail clients render) and plain text. */
export function renderEmail(content: EmailContent): { html: string; text: string } {
  const locale = content.locale ?? DEFAULT_LOCALE;
  const strings = STRINGS[locale];
  const action = content.action && { label: content.action.label, url: linkUrl(content.action.url) };
  const unsubscribeUrl = content.unsubscribeUrl && linkUrl(content.unsubscribeUrl);
  return {
    html: renderHtml(content, locale, strings, action, unsubscribeUrl),
    text: renderText(content, strings, action, unsubscribeUrl),
  };
}

function renderHtml(
  content: EmailContent,
  locale: Locale,
  strings: (typeof STRINGS)[Locale],
  action: { label: string; url: string } | undefined,
  unsubscribeUrl: string | undefined,
): string {
  const p = `margin:0 0 16px;font-size:16px;line-height:1.5;color:${COLORS.espresso}`;
  const small = `margin:0 0 8px;font-size:13px;line-height:1.5;color:${COLORS.muted}`;
  const body = paragraphs(content.intro)
    .map((part) => `<p style="${p}">${escapeHtml(part)}</p>`)
    .join("\n");
  const button = action
    ? `<table role="presentation" cellspacing="0" cellpadding="0" border="0" style="margin:8px 0 24px"><tr><td style="border-radius:8px;background:${COLORS.espresso}">` +
      `<a href="${escapeHtml(action.url)}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:${COLORS.crema};text-decoration:none;border-radius:8px">${escapeHtml(action.label)}</a>` +
      `</td></tr></table>\n<p style="${small}">${escapeHtml(strings.fallback)}<br><a href="${escapeHtml(action.url)}" style="color:${COLORS.roast};word-break:break-all">${escapeHtml(action.url)}</a></p>`
    : "";
  const footer = [
    content.footer ? `<p style="${small}">${escapeHtml(content.footer)}</p>` : "",
    unsubscribeUrl
      ? `<p style="${small}"><a href="${escapeHtml(unsubscribeUrl)}" style="color:${COLORS.roast}">${escapeHtml(strings.unsubscribe)}</a></p>`
      : "",
  ].join("");
  const title = escapeHtml(content.title);
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:${COLORS.crema};font-family:${FONT}">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background:${COLORS.crema}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:560px;background:#ffffff;border-radius:12px">
<tr><td style="padding:32px 28px 8px">
<p style="margin:0 0 16px;font-size:14px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${COLORS.roast}">Зерно</p>
<h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;color:${COLORS.espresso}">${title}</h1>
${body}
${button}
</td></tr>
${footer ? `<tr><td style="padding:16px 28px 24px;border-top:1px solid #eadfd3">${footer}</td></tr>` : ""}
</table>
</td></tr>
</table>
</body>
</html>`;
}

function renderText(
  content: EmailContent,
  strings: (typeof STRINGS)[Locale],
  action: { label: string; url: string } | undefined,
  unsubscribeUrl: string | undefined,
): string {
  const blocks = [content.title, ...paragraphs(content.intro)];
  if (action) blocks.push(`${action.label}: ${action.url}`);
  const footer = [content.footer, unsubscribeUrl && `${strings.unsubscribe}: ${unsubscribeUrl}`].filter(Boolean);
  if (footer.length > 0) blocks.push(`—\n${footer.join("\n")}`);
  return `${blocks.join("\n\n")}\n`;
}

// GET /dev/outbox — the mail the platform would have sent, while RESEND_API_KEY is unset.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { latestOutbox } from "@/server/email/outbox";
import { outboxPageEnabled } from "@/server/env";
import { formatDateTime } from "@/server/format";

export const dynamic = "force-dynamic";

const LIMIT = 50;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("outbox");
  return { title: t("title"), robots: { index: false, follow: false } };
}

/** The dev outbox: the latest stored emails with clickable links; 404 once mail goes through Resend. */
export default async function OutboxPage() {
  // Real mail (and its sign-in links) must never be readable on a web page.
  if (!outboxPageEnabled()) notFound();
  const [t, locale, emails] = await Promise.all([getTranslations("outbox"), getLocale(), latestOutbox(LIMIT)]);
  // Mail of every café: the developer's clock (this machine's zone), named.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const time = (at: Date) => formatDateTime(at, locale, zone, { zoneName: true });
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-espresso/80">{t("intro", { limit: LIMIT })}</p>
      {emails.length === 0 ? (
        <p className="mt-6">{t("empty")}</p>
      ) : (
        <ol aria-label={t("list")} className="mt-6 space-y-6">
          {emails.map((email) => (
            <li key={email.id}>
              <article aria-labelledby={`email-${email.id}`} className="rounded-xl bg-white p-4 shadow-sm sm:p-6">
                <h2 id={`email-${email.id}`} className="text-lg font-semibold">
                  {email.subject}
                </h2>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-espresso/70">{t("to")}</dt>
                  <dd className="break-all">{email.to}</dd>
                  <dt className="text-espresso/70">{t("createdAt")}</dt>
                  <dd>
                    <time dateTime={email.createdAt.toISOString()}>{time(email.createdAt)}</time>
                  </dd>
                  {email.context ? (
                    <>
                      <dt className="text-espresso/70">{t("context")}</dt>
                      <dd>{email.context}</dd>
                    </>
                  ) : null}
                </dl>
                <section aria-label={t("text")} className="mt-4">
                  <pre className="whitespace-pre-wrap break-words rounded-lg bg-crema p-3 font-sans text-sm">
                    <LinkedText text={email.text} />
                  </pre>
                </section>
                <details className="mt-3">
                  <summary className="cursor-pointer text-sm font-semibold text-roast">{t("html")}</summary>
                  {/* sandbox="" — no scripts, forms or navigation from stored mail. */}
                  <iframe
                    title={t("htmlFrame", { subject: email.subject })}
                    srcDoc={email.html}
                    sandbox=""
                    className="mt-2 h-[32rem] w-full rounded-lg border border-espresso/20 bg-white"
                  />
                </details>
              </article>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;

/** Plain text with every http(s) URL made a real link, so people and e2e tests can follow it. */
function LinkedText({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Sentence punctuation after a URL is not part of it.
    const url = match[0].replace(/[.,;:!?)»]+$/, "");
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={url} className="break-all text-leaf underline">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

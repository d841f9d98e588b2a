"use client";

// A page that failed unexpectedly (the database away, a bug): a calm page in the page's language
// with a way to try again, instead of the framework's English one. Root messages are not sent to
// the browser (pages ship only the namespaces they use), so its few texts live here.
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { StatusPage } from "@/components/ui/status-page";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "@/server/i18n/locales";

const TEXTS: Record<Locale, Record<"title" | "text" | "retry" | "home" | "reference", string>> = {
  ru: {
    title: "Что-то пошло не так",
    text: "Страница не открылась из-за ошибки на нашей стороне. Попробуйте ещё раз через минуту.",
    retry: "Попробовать снова",
    home: "На главную",
    reference: "Код для поддержки:",
  },
  en: {
    title: "Something went wrong",
    text: "The page failed to open because of an error on our side. Please try again in a minute.",
    retry: "Try again",
    home: "Home",
    reference: "Reference for support:",
  },
};

/** The page's language, or (when the failure left Next's bare shell, without one) the visitor's choice. */
function pageLanguage(): Locale {
  const chosen =
    document.documentElement.lang ||
    document.cookie
      .split("; ")
      .find((pair) => pair.startsWith(`${LOCALE_COOKIE}=`))
      ?.slice(LOCALE_COOKIE.length + 1);
  return isLocale(chosen) ? chosen : DEFAULT_LOCALE;
}

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [language, setLanguage] = useState<Locale>(DEFAULT_LOCALE);
  useEffect(() => setLanguage(pageLanguage()), []);
  const t = TEXTS[language];
  const router = useRouter();
  const [retrying, startRetry] = useTransition();
  // reset() alone re-renders what the server already sent (the error again): fetch the page anew.
  const retry = () =>
    startRetry(() => {
      router.refresh();
      reset();
    });
  return (
    <StatusPage status={500} title={t.title} text={t.text} href="/" linkText={t.home}>
      <button
        type="button"
        onClick={retry}
        disabled={retrying}
        className="rounded-lg border border-espresso px-4 py-2 font-semibold disabled:opacity-60"
      >
        {t.retry}
      </button>
      {error.digest ? (
        <p className="text-sm text-espresso/80">
          {t.reference} <code>{error.digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}

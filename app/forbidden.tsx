import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("forbidden");
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col items-start justify-center gap-4 p-6">
      <p className="text-6xl font-bold text-roast" aria-hidden="true">
        403
      </p>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p>{t("text")}</p>
      <Link href="/dashboard" className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
        {t("back")}
      </Link>
    </main>
  );
}

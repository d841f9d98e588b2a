import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Shown to the café's staff on a storefront not open yet: guests get a 404 here. */
export async function StorefrontPreviewNote({ tenant }: { tenant: string }) {
  const t = await getTranslations("signUp.preview");
  return (
    <p role="note" className="bg-espresso px-4 py-2 text-center text-sm text-crema">
      {t("text")}{" "}
      <Link href={`/dashboard/${tenant}`} className="font-semibold underline">
        {t("open")}
      </Link>
    </p>
  );
}

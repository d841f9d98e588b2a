import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { COUNTER_MATCHES_LIMIT } from "@/server/guests/lookup";
import { formatMoney } from "@/server/money";
import { serverCaller } from "@/server/trpc/server-caller";
import { setOnlineAccessAction } from "./actions";

export const generateMetadata = sectionMetadata("guestLookup");

export const dynamic = "force-dynamic";

/** The counter look-up by card code (as printed) or phone, and for owners and managers by name or email. */
export default async function GuestLookupPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ q?: string }>;
}) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "guests.lookup", `/dashboard/${slug}/guests/lookup`);
  const query = ((await searchParams).q ?? "").trim();
  const t = await getTranslations("lookup");
  const tc = await getTranslations("guestsInsight");
  const locale = await getLocale();
  const byContact = can(staff.role, "guests.read", staff.locationIds.length > 0);
  const found =
    query.length >= 3
      ? await (await serverCaller(slug)).guests.lookup({ identifier: query, locale: locale === "en" ? "en" : "ru" })
      : undefined;
  const mayBlock = can(staff.role, "guests.block", staff.locationIds.length > 0);
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <form method="get" className="mt-4 flex max-w-md flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor="q" className="font-medium">
            {byContact ? t("labelWithContact") : t("label")}
          </label>
          <input
            id="q"
            name="q"
            defaultValue={query}
            inputMode={byContact ? "text" : "tel"}
            autoComplete="off"
            aria-describedby="q-help"
            className="rounded-lg border border-espresso/40 px-3 py-2"
          />
        </div>
        <button type="submit" className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("find")}
        </button>
        <p id="q-help" className="w-full text-sm text-espresso/80">
          {t("labelHelp")}
        </p>
      </form>
      <div aria-live="polite" className="mt-6 flex flex-col gap-4">
        {found && found.length === 0 ? <p>{t("notFound")}</p> : null}
        {found && found.length >= COUNTER_MATCHES_LIMIT ? (
          <p>{t("manyFound", { limit: COUNTER_MATCHES_LIMIT })}</p>
        ) : null}
        {(found ?? []).map((guest) => (
          <section key={guest.id} aria-label={guest.name ?? t("name")}>
            <dl
              className="grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-xl bg-crema p-4"
              data-testid="guest-card"
            >
              <dt className="font-medium">{t("name")}</dt>
              <dd>{guest.name ?? "—"}</dd>
              <dt className="font-medium">{t("tier")}</dt>
              <dd>{guest.tier}</dd>
              <dt className="font-medium">{t("balance")}</dt>
              <dd>
                {t("points", { points: guest.balance })} (
                {formatMoney(guest.balance * 100, staff.tenant.currency, locale)})
              </dd>
              <dt className="font-medium">{t("online")}</dt>
              <dd>{guest.onlineBlocked ? t("onlineClosed") : t("onlineOpen")}</dd>
            </dl>
            {byContact ? (
              <p className="mt-3">
                <Link href={`/dashboard/${slug}/guests/${guest.id}`} className="font-semibold underline">
                  {tc("openCard")}
                </Link>
              </p>
            ) : null}
            {/* Closing access names the guest by what was typed, so only a card or phone match offers it. */}
            {mayBlock && guest.foundBy === "identifier" ? (
              <form action={setOnlineAccessAction.bind(null, slug, query, !guest.onlineBlocked)} className="mt-3">
                <button
                  type="submit"
                  className="rounded-lg border border-espresso/40 bg-white px-4 py-2 font-semibold hover:bg-crema"
                >
                  {guest.onlineBlocked ? t("openOnline") : t("closeOnline")}
                </button>
                <p className="mt-1 max-w-md text-sm">{t("onlineHelp")}</p>
              </form>
            ) : null}
          </section>
        ))}
      </div>
    </>
  );
}

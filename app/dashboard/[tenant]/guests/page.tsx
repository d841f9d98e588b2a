import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { GuestsTable } from "@/components/dashboard/guests-table";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { Field, SelectField } from "@/components/ui/field";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { DIRECTORY_SEGMENTS, GUEST_COLUMNS, GUEST_SORTS, type GuestSort } from "@/server/guests/directory";
import { type DirectoryParams, directoryQuery, parseDirectoryParams } from "@/server/guests/directory-params";
import { tierNameIn } from "@/server/loyalty/formulas";
import { serverCaller } from "@/server/trpc/server-caller";
import { saveColumnsAction } from "./actions";

export const generateMetadata = sectionMetadata("guests");

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

/** The guests table: search, filters (from the URL: ?segment=, ?tier=, ?q=…), keyset pages, chosen columns. */
export default async function GuestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<DirectoryParams>;
}) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}/guests`;
  const staff = await requireStaffPage(slug, "guests.read", base);
  const limited = staff.locationIds.length > 0;
  const t = await getTranslations("guestsInsight");
  const caller = await serverCaller(slug);
  const view = parseDirectoryParams(await searchParams);
  const readerLocale = await getLocale();
  const filterOptions = await caller.guests.filterOptions();
  // Tiers by the reader's language (the café names them per language).
  const options = {
    ...filterOptions,
    tiers: filterOptions.tiers.map((tier) => ({ id: tier.id, name: tierNameIn(tier, readerLocale) })),
  };
  // A dashboard link may name the tier rather than its id.
  if (view.tierName) {
    const named = options.tiers.find((tier) => tier.name.toLowerCase() === view.tierName?.toLowerCase());
    if (named) view.filters.tierId = named.id;
  }
  const { filters, sort, direction } = view;
  const list = (start: { cursor?: string; backward?: boolean; from?: string }) =>
    caller.guests.list({ ...filters, sort, direction, ...start, limit: PAGE_SIZE });
  const [page, total, columns] = await Promise.all([
    list({ cursor: view.cursor, backward: view.backward, from: view.cursor ? undefined : view.from }).catch((error) => {
      // A stale cursor or a jump value the column cannot take: the top of the list instead.
      if (error instanceof TRPCError && error.code === "BAD_REQUEST") return list({});
      throw error;
    }),
    caller.guests.count(filters),
    caller.guests.columns(),
  ]);

  const href = (change: Partial<Parameters<typeof directoryQuery>[0]>) => {
    const query = directoryQuery({ filters, sort, direction, ...change }).toString();
    return query ? `${base}?${query}` : base;
  };
  const sortHrefs = Object.fromEntries(
    GUEST_SORTS.map((column) => [
      column,
      // The same column again turns the order round; a new column starts from its natural end.
      href({
        sort: column,
        direction: column === sort ? (direction === "desc" ? "asc" : "desc") : column === "name" ? "asc" : "desc",
      }),
    ]),
  ) as Record<GuestSort, string>;
  const tierNames = Object.fromEntries(options.tiers.map((tier) => [tier.id, tier.name]));
  const exportFields = [...directoryQuery({ filters, sort, direction }).entries()];

  return (
    <>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <nav className="flex flex-wrap gap-4 text-sm" aria-label={t("title")}>
          <Link href={`${base}/lookup`} className="underline">
            {t("lookupLink")}
          </Link>
          {can(staff.role, "guests.import", limited) ? (
            <Link href={`${base}/import`} className="underline">
              {t("importLink")}
            </Link>
          ) : null}
          {can(staff.role, "campaigns.manage", limited) ? (
            <Link
              href={`/dashboard/${slug}/campaigns/new?kind=one_off&${directoryQuery({ filters, sort, direction })}`}
              className="underline"
            >
              {(await getTranslations("campaigns"))("toTheseGuests")}
            </Link>
          ) : null}
        </nav>
      </div>
      <p className="mt-1" data-testid="guests-count">
        {t("count", { count: total })}
      </p>
      {limited ? <p className="text-sm text-espresso/80">{t("scopedNote")}</p> : null}

      <nav aria-label={t("segmentsLabel")} className="mt-4">
        <ul className="flex flex-wrap gap-2">
          {(["all", ...DIRECTORY_SEGMENTS] as const).map((segment) => {
            const current = segment === "all" ? !filters.segment : filters.segment === segment;
            return (
              <li key={segment}>
                <Link
                  href={href({ filters: { ...filters, segment: segment === "all" ? undefined : segment } })}
                  aria-current={current ? "page" : undefined}
                  className={`block rounded-full border px-3 py-1 text-sm ${current ? "border-espresso bg-espresso text-crema" : "border-espresso/30 hover:bg-crema"}`}
                >
                  {t(`segments.${segment}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <details className="mt-4 rounded-xl border border-espresso/20 p-3" open={Object.keys(filters).length > 0}>
        <summary className="cursor-pointer font-semibold">{t("filters.heading")}</summary>
        <form method="get" action={base} className="mt-3 grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
          <Field id="q" name="q" label={t("filters.q")} hint={t("filters.qHint")} defaultValue={filters.q ?? ""} />
          <SelectField
            id="segment"
            name="segment"
            label={t("filters.segment")}
            defaultValue={filters.segment ?? ""}
            options={[
              { value: "", text: t("segments.all") },
              ...DIRECTORY_SEGMENTS.map((segment) => ({ value: segment, text: t(`segments.${segment}`) })),
            ]}
          />
          <SelectField
            id="tier"
            name="tier"
            label={t("filters.tier")}
            defaultValue={filters.tierId ?? ""}
            options={[
              { value: "", text: t("filters.any") },
              ...options.tiers.map((tier) => ({ value: tier.id, text: tier.name })),
            ]}
          />
          <SelectField
            id="channel"
            name="channel"
            label={t("filters.channel")}
            defaultValue={filters.channel ?? ""}
            options={[
              { value: "", text: t("filters.any") },
              ...(["pos", "online", "both"] as const).map((channel) => ({
                value: channel,
                text: t(`channels.${channel}`),
              })),
            ]}
          />
          <Field
            id="lastVisitFrom"
            name="lastVisitFrom"
            type="date"
            label={t("filters.lastVisitFrom")}
            defaultValue={filters.lastVisitFrom ?? ""}
          />
          <Field
            id="lastVisitTo"
            name="lastVisitTo"
            type="date"
            label={t("filters.lastVisitTo")}
            defaultValue={filters.lastVisitTo ?? ""}
          />
          <Field
            id="visitsMin"
            name="visitsMin"
            type="number"
            min={0}
            inputMode="numeric"
            label={t("filters.visitsMin")}
            defaultValue={filters.visitsMin ?? ""}
          />
          <Field
            id="visitsMax"
            name="visitsMax"
            type="number"
            min={0}
            inputMode="numeric"
            label={t("filters.visitsMax")}
            defaultValue={filters.visitsMax ?? ""}
          />
          <Field
            id="spendMin"
            name="spendMin"
            inputMode="decimal"
            label={`${t("filters.spendMin")}, ${staff.tenant.currency}`}
            defaultValue={filters.spendMin === undefined ? "" : filters.spendMin / 100}
          />
          <Field
            id="spendMax"
            name="spendMax"
            inputMode="decimal"
            label={`${t("filters.spendMax")}, ${staff.tenant.currency}`}
            defaultValue={filters.spendMax === undefined ? "" : filters.spendMax / 100}
          />
          <SelectField
            id="location"
            name="location"
            label={t("filters.location")}
            defaultValue={filters.locationId ?? ""}
            options={[
              { value: "", text: t("filters.any") },
              ...options.locations.map((location) => ({ value: location.id, text: location.name })),
            ]}
          />
          <SelectField
            id="marketing"
            name="marketing"
            label={t("filters.marketing")}
            defaultValue={filters.marketing === undefined ? "" : filters.marketing ? "yes" : "no"}
            options={[
              { value: "", text: t("filters.any") },
              { value: "yes", text: t("filters.yes") },
              { value: "no", text: t("filters.no") },
            ]}
          />
          {sort !== "lastVisit" ? <input type="hidden" name="sort" value={sort} /> : null}
          {direction !== "desc" ? <input type="hidden" name="dir" value={direction} /> : null}
          <div className="flex items-end gap-3">
            <button type="submit" className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast">
              {t("filters.apply")}
            </button>
            <Link href={base} className="py-2 underline">
              {t("filters.reset")}
            </Link>
          </div>
        </form>
      </details>

      <div className="mt-4 flex flex-wrap items-start gap-4">
        <details className="rounded-xl border border-espresso/20 p-3">
          <summary className="cursor-pointer font-semibold">{t("chooseColumns")}</summary>
          <form action={saveColumnsAction.bind(null, slug)} className="mt-2">
            <fieldset className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-3">
              <legend className="sr-only">{t("chooseColumns")}</legend>
              {GUEST_COLUMNS.map((column) => (
                <label key={column} className="flex items-center gap-2">
                  <input type="checkbox" name="columns" value={column} defaultChecked={columns.includes(column)} />
                  {t(`columns.${column}`)}
                </label>
              ))}
            </fieldset>
            <button
              type="submit"
              className="mt-2 rounded-lg border border-espresso/40 px-3 py-1 font-semibold hover:bg-crema"
            >
              {t("saveColumns")}
            </button>
          </form>
        </details>
        {can(staff.role, "guests.export", limited) ? (
          // A POST from this page (the answer is a download): a link from elsewhere cannot start an audited export.
          <form method="post" action={`${base}/export`} className="rounded-xl border border-espresso/20 p-3">
            {exportFields.map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <button type="submit" className="font-semibold underline">
              {t("export")}
            </button>
            <p className="text-sm text-espresso/80">
              {can(staff.role, "guests.export_contacts", limited)
                ? t("exportWithContacts")
                : t("exportWithoutContacts")}
            </p>
          </form>
        ) : null}
      </div>

      <div className="mt-4">
        <GuestsTable
          rows={page.rows}
          visible={columns}
          tiers={tierNames}
          cafe={{ currency: staff.tenant.currency, locale: readerLocale, timezone: staff.tenant.timezone }}
          cardBase={base}
          sort={sort}
          direction={direction}
          sortHrefs={sortHrefs}
          now={Date.now()}
        />
      </div>

      <nav aria-label={t("pagination")} className="mt-4 flex flex-wrap items-end gap-4">
        {view.cursor || view.from ? (
          <Link href={href({})} className="underline">
            {t("first")}
          </Link>
        ) : null}
        {page.previousCursor ? (
          <Link href={href({ cursor: page.previousCursor, backward: true })} className="underline" rel="prev">
            {t("previous")}
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link href={href({ cursor: page.nextCursor })} className="underline" rel="next">
            {t("next")}
          </Link>
        ) : null}
        <form method="get" action={base} className="flex items-end gap-2">
          {[...directoryQuery({ filters, sort, direction }).entries()].map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <Field
            id="from"
            name="from"
            type={sort === "lastVisit" ? "date" : "text"}
            inputMode={sort === "name" || sort === "lastVisit" ? undefined : "decimal"}
            label={t(`jumpTo.${sort}`)}
            defaultValue={view.cursor ? "" : (view.from ?? "")}
          />
          <button type="submit" className="rounded-lg border border-espresso/40 px-3 py-2 font-semibold hover:bg-crema">
            {t("jump")}
          </button>
        </form>
      </nav>
    </>
  );
}

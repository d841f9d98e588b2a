import { getLocale, getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import {
  BILLING_INTERVALS,
  billingCurrencyOf,
  MONTHS_PAID_PER_YEAR,
  PLAN_IDS,
  PLANS,
  pricePerLocation,
} from "@/server/billing/plans";
import { formatDate, formatMoney } from "@/server/format";
import { serverCaller } from "@/server/trpc/server-caller";
import { checkoutAction, portalAction } from "./actions";

export const generateMetadata = sectionMetadata("billing");

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ checkout?: string; error?: string }>;
};

const planName = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** The café's Zerno subscription (owner only): plan, state, usage, Checkout, the portal, invoices. */
export default async function BillingPage({ params, searchParams }: Props) {
  const slug = (await params).tenant;
  const { checkout, error } = await searchParams;
  const staff = await requireStaffPage(slug, "billing.manage", `/dashboard/${slug}/billing`);
  const t = await getTranslations("billing");
  const locale = await getLocale();
  const caller = await serverCaller(slug);
  // Back from Checkout: the plan is read from the provider now, whether or not its webhook came.
  const confirmed = checkout ? (await caller.billing.confirmCheckout({ sessionId: checkout })).outcome : null;
  const billing = await caller.billing.status();
  const date = (value: Date | null) => (value ? formatDate(value, locale, staff.tenant.timezone, "long") : "—");
  const currency = billingCurrencyOf(staff.tenant.currency);
  const money = (minor: number, code: string = currency) => formatMoney(minor, code, locale);

  if (!billing.enabled) {
    return (
      <>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-4 max-w-xl rounded-lg bg-crema p-3">{t("notConfigured")}</p>
      </>
    );
  }

  const usage = [
    { key: "locations", used: billing.usage.locations, limit: billing.plan.maxLocations },
    { key: "staff", used: billing.usage.staff, limit: billing.plan.maxStaff },
  ] as const;
  const statusKey = billing.access === "read_only" && billing.status === "trialing" ? "trial_over" : billing.status;

  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {confirmed === "synced" ? (
        <p role="status" className="mt-4 max-w-xl rounded-lg bg-green-100 p-3 text-green-900">
          {t("checkoutDone")}
        </p>
      ) : null}
      {confirmed === "pending" ? (
        <p role="status" className="mt-4 max-w-xl rounded-lg bg-crema p-3">
          {t("checkoutPending")}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-4 max-w-xl rounded-lg bg-red-100 p-3 text-red-900">
          {t.has(`errors.${error}`) ? t(`errors.${error}`) : t("errors.generic")}
        </p>
      ) : null}

      <section aria-labelledby="current-plan" className="mt-6">
        <h2 id="current-plan" className="text-lg font-semibold">
          {t("current")}
        </h2>
        <dl className="mt-2 grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2">
          <dt className="font-medium">{t("plan")}</dt>
          <dd data-testid="billing-plan">{planName(billing.planId)}</dd>
          <dt className="font-medium">{t("status")}</dt>
          <dd data-testid="billing-status">{t(`statuses.${statusKey}`)}</dd>
          {billing.status === "trialing" ? (
            <>
              <dt className="font-medium">{t("trialEnds")}</dt>
              <dd>{date(billing.trialEndsAt)}</dd>
            </>
          ) : (
            <>
              <dt className="font-medium">{billing.cancelAtPeriodEnd ? t("endsOn") : t("renews")}</dt>
              <dd>{date(billing.currentPeriodEnd)}</dd>
            </>
          )}
          {billing.graceEndsAt ? (
            <>
              <dt className="font-medium">{t("graceEnds")}</dt>
              <dd>{date(billing.graceEndsAt)}</dd>
            </>
          ) : null}
          {billing.interval ? (
            <>
              <dt className="font-medium">{t("interval")}</dt>
              <dd>{t(`intervals.${billing.interval}`)}</dd>
            </>
          ) : null}
        </dl>
        <h3 className="mt-4 font-semibold">{t("usage")}</h3>
        <ul className="mt-2 flex max-w-md flex-col gap-3">
          {usage.map((item) => (
            <li key={item.key}>
              <label htmlFor={`usage-${item.key}`} className="flex justify-between">
                <span>{t(`limits.${item.key}`)}</span>
                <span>
                  {item.limit === null
                    ? t("usedOfUnlimited", { used: item.used })
                    : t("usedOf", { used: item.used, limit: item.limit })}
                </span>
              </label>
              <progress
                id={`usage-${item.key}`}
                className="mt-1 h-3 w-full accent-espresso"
                value={item.limit === null ? 0 : Math.min(item.used, item.limit)}
                max={item.limit ?? 1}
              />
            </li>
          ))}
        </ul>
        {billing.hasCustomer ? (
          <form action={portalAction.bind(null, slug)} className="mt-4">
            <button type="submit" className="rounded-lg border-2 border-espresso px-4 py-2 font-semibold">
              {t("portal")}
            </button>
          </form>
        ) : null}
      </section>

      {billing.hasSubscription ? (
        <p className="mt-6 max-w-2xl">{t("changeInPortal")}</p>
      ) : (
        <section aria-labelledby="choose-plan" className="mt-8">
          <h2 id="choose-plan" className="text-lg font-semibold">
            {t("choose")}
          </h2>
          <p className="mt-1 max-w-2xl text-sm">
            {t("chooseLead", { locations: Math.max(1, billing.usage.locations), months: MONTHS_PAID_PER_YEAR })}
          </p>
          <form action={checkoutAction.bind(null, slug)} className="mt-3">
            <fieldset className="flex flex-wrap gap-4">
              <legend className="font-medium">{t("intervalChoice")}</legend>
              {BILLING_INTERVALS.map((interval) => (
                <label key={interval} className="flex items-center gap-2">
                  <input type="radio" name="interval" value={interval} defaultChecked={interval === "month"} />
                  {t(`intervals.${interval}`)}
                </label>
              ))}
            </fieldset>
            <ul className="mt-3 grid gap-3 sm:grid-cols-3">
              {PLAN_IDS.map((id) => {
                const plan = PLANS[id];
                const quantity = Math.max(1, billing.usage.locations);
                return (
                  <li key={id} className="flex flex-col rounded-xl border border-espresso/20 p-4">
                    <h3 className="text-lg font-semibold">{planName(id)}</h3>
                    <p className="mt-1">
                      {t("perLocation", { price: money(pricePerLocation(id, currency, "month")) })}
                    </p>
                    <p className="text-sm">
                      {t("total", {
                        quantity,
                        month: money(pricePerLocation(id, currency, "month") * quantity),
                        year: money(pricePerLocation(id, currency, "year") * quantity),
                      })}
                    </p>
                    <p className="mt-2 text-sm">
                      {plan.maxLocations === null
                        ? t("unlimitedLocations")
                        : t("maxLocations", { count: plan.maxLocations })}
                      {" · "}
                      {plan.maxStaff === null ? t("unlimitedStaff") : t("maxStaff", { count: plan.maxStaff })}
                    </p>
                    <button
                      type="submit"
                      name="plan"
                      value={id}
                      className="mt-3 rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast"
                    >
                      {t("subscribe", { plan: planName(id) })}
                    </button>
                  </li>
                );
              })}
            </ul>
          </form>
        </section>
      )}

      <section aria-labelledby="invoices" className="mt-8">
        <h2 id="invoices" className="text-lg font-semibold">
          {t("invoices")}
        </h2>
        {billing.invoicesUnavailable ? (
          <p className="mt-2">{t("invoicesUnavailable")}</p>
        ) : billing.invoices.length === 0 ? (
          <p className="mt-2">{t("noInvoices")}</p>
        ) : (
          <table className="mt-2 w-full max-w-2xl text-left">
            <caption className="sr-only">{t("invoices")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("invoiceNumber")}</th>
                <th scope="col">{t("invoiceDate")}</th>
                <th scope="col">{t("invoiceTotal")}</th>
                <th scope="col">{t("invoiceStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {billing.invoices.map((invoice) => (
                <tr key={invoice.id} className="border-t border-espresso/10">
                  <td>
                    {invoice.url ? (
                      <a href={invoice.url} className="underline">
                        {invoice.number ?? invoice.id}
                      </a>
                    ) : (
                      (invoice.number ?? invoice.id)
                    )}
                  </td>
                  <td>{date(invoice.createdAt)}</td>
                  <td>{money(invoice.total, invoice.currency)}</td>
                  <td>{invoice.status ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

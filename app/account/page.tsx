import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { ChangePasswordForm } from "@/components/auth/account-forms";
import { RegenerateCodesForm } from "@/components/auth/two-factor-forms";
import { accountOverview, cafesOf } from "@/server/auth/account";
import { describeDevice } from "@/server/auth/device";
import { currentStaffSession } from "@/server/auth/session";
import { formatDateTime } from "@/server/format";
import { titled } from "@/server/i18n/metadata";
import { findTenantBySlug } from "@/server/tenants/queries";
import { signOutEverywhereAction } from "./actions";

export const generateMetadata = titled("account");
export const dynamic = "force-dynamic";

/** The person's own security: sessions (sign out everywhere), password, recovery codes. */
export default async function AccountPage() {
  const session = await currentStaffSession();
  if (!session) redirect("/sign-in?next=/account");
  const t = await getTranslations("account");
  const [{ user, sessions }, cafes, locale] = await Promise.all([
    accountOverview(session.userId),
    cafesOf(session.userId),
    getLocale(),
  ]);
  // Times in the zone of the person's (first) café, with the offset said; UTC for no café yet.
  const cafe = cafes[0] ? await findTenantBySlug(cafes[0].slug) : null;
  const timeZone = cafe?.timezone ?? "UTC";
  const deviceName = (userAgent: string | null) => {
    const device = describeDevice(userAgent);
    if (device.browser && device.system) return t("device", { browser: device.browser, system: device.system });
    return device.browser ?? device.system ?? t("unknownDevice");
  };
  return (
    <main id="main" className="mx-auto flex max-w-2xl flex-col gap-8 p-6">
      <div>
        <Link href="/dashboard" className="underline">
          {t("back")}
        </Link>
        <h1 className="mt-2 text-2xl font-bold">{t("title")}</h1>
        <p>{user?.email}</p>
      </div>
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          {t("sessions")}
        </h2>
        <ul className="mt-2 flex flex-col gap-1 text-sm">
          {sessions.map((item) => (
            <li key={`${item.createdAt.toISOString()}-${item.ip}`}>
              <span title={item.userAgent ?? undefined}>{deviceName(item.userAgent)}</span> · {item.ip ?? "—"} ·{" "}
              {t("lastSeen", { when: formatDateTime(item.lastSeenAt, locale, timeZone, { zoneName: true }) })}
            </li>
          ))}
        </ul>
        <form action={signOutEverywhereAction} className="mt-3">
          <button type="submit" className="rounded-lg border-2 border-espresso px-4 py-2 font-semibold">
            {t("signOutEverywhere")}
          </button>
        </form>
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading" className="text-lg font-semibold">
          {t("password")}
        </h2>
        <ChangePasswordForm />
      </section>
      {user?.totpEnabledAt ? (
        <section aria-labelledby="codes-heading">
          <h2 id="codes-heading" className="text-lg font-semibold">
            {t("recoveryCodes")}
          </h2>
          <p className="mb-2">{t("recoveryLead")}</p>
          <RegenerateCodesForm />
        </section>
      ) : (
        <Link href="/account/two-factor?next=/account" className="underline">
          {t("enable2fa")}
        </Link>
      )}
    </main>
  );
}

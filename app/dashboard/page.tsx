import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cafesOf } from "@/server/auth/account";
import { currentStaffSession } from "@/server/auth/session";

export const dynamic = "force-dynamic";

/** After sign-in: straight to the one café, or a choice among several. */
export default async function DashboardIndexPage() {
  const session = await currentStaffSession();
  if (!session) redirect("/sign-in");
  const memberships = await cafesOf(session.userId);
  if (memberships.length === 1 && memberships[0]) redirect(`/dashboard/${memberships[0].slug}`);
  const t = await getTranslations("dashboard");
  const signUp = await getTranslations("signUp");
  return (
    <main id="main" className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-bold">{t("chooseTenant")}</h1>
      {memberships.length === 0 ? (
        <>
          <p className="mt-4">{t("noTenants")}</p>
          <Link href="/sign-up/cafe" className="mt-4 inline-block underline">
            {signUp("createCafeLink")}
          </Link>
        </>
      ) : null}
      <ul className="mt-4 flex flex-col gap-2">
        {memberships.map((membership) => (
          <li key={membership.slug}>
            <Link href={`/dashboard/${membership.slug}`} className="block rounded-lg bg-white p-4 shadow-sm">
              <span className="font-semibold">{membership.name}</span> — {t(`roles.${membership.role}`)}
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { cafesOf } from "@/server/auth/account";

/** Links to the other cafés the person works at (the tenant always comes from the URL). */
export async function TenantSwitcher({ userId, current }: { userId: string; current: string }) {
  const others = (await cafesOf(userId)).filter((membership) => membership.slug !== current);
  if (others.length === 0) return null;
  const t = await getTranslations("dashboard");
  return (
    <nav aria-label={t("switchTenant")}>
      <p className="font-medium">{t("switchTenant")}</p>
      <ul>
        {others.map((membership) => (
          <li key={membership.slug}>
            <Link href={`/dashboard/${membership.slug}`} className="underline">
              {membership.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

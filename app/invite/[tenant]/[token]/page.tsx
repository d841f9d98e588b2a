import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { currentStaffSession } from "@/server/auth/session";
import { titled } from "@/server/i18n/metadata";
import { invitationOfLink } from "@/server/staff/invitations";

export const generateMetadata = titled("invite");
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ tenant: string; token: string }> };

const CLOSED = {
  accepted: ["acceptedTitle", "acceptedText"],
  withdrawn: ["withdrawnTitle", "withdrawnText"],
  replaced: ["replacedTitle", "replacedText"],
  expired: ["expiredTitle", "expiredText"],
} as const;

/**
 * A staff invitation link: a new person sets a name and password; an existing one signs in first.
 * A link that no longer opens anything says why (accepted, withdrawn, replaced, expired).
 */
export default async function InvitationPage({ params }: Params) {
  const { tenant, token } = await params;
  const t = await getTranslations("invite");
  const roles = await getTranslations("dashboard.roles");
  const link = await invitationOfLink(tenant, token);
  const path = `/invite/${tenant}/${token}`;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      {!link ? (
        <>
          <h1 className="text-2xl font-bold">{t("invalidTitle")}</h1>
          <p>{t("invalidText")}</p>
        </>
      ) : link.state !== "open" ? (
        <>
          <h1 className="text-2xl font-bold">{t(CLOSED[link.state][0])}</h1>
          <p>{t(CLOSED[link.state][1], { cafe: link.tenantName })}</p>
          {link.state === "accepted" ? (
            <Link
              href={`/sign-in?next=${encodeURIComponent(`/dashboard/${tenant}`)}`}
              className="rounded-lg bg-espresso px-4 py-2 text-center font-semibold text-crema"
            >
              {t("signIn")}
            </Link>
          ) : null}
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold">{t("title", { cafe: link.invitation.tenant.name })}</h1>
          <p>{t("lead", { email: link.invitation.email, role: roles(link.invitation.role) })}</p>
          {link.invitation.accountExists && !(await currentStaffSession()) ? (
            <Link
              href={`/sign-in?next=${encodeURIComponent(path)}`}
              className="rounded-lg bg-espresso px-4 py-2 text-center font-semibold text-crema"
            >
              {t("signInToAccept")}
            </Link>
          ) : (
            <AcceptInvitationForm tenant={tenant} token={token} newAccount={!link.invitation.accountExists} />
          )}
        </>
      )}
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { appDb } from "@/db/client";
import { currentStaffSession } from "@/server/auth/session";
import { findInvitation } from "@/server/staff/invitations";

export const metadata: Metadata = { title: "Приглашение" };
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ tenant: string; token: string }> };

/** A staff invitation link: a new person sets a name and password; an existing one signs in first. */
export default async function InvitationPage({ params }: Params) {
  const { tenant, token } = await params;
  const t = await getTranslations("invite");
  const roles = await getTranslations("dashboard.roles");
  const invitation = await findInvitation(appDb(), tenant, token);
  const path = `/invite/${tenant}/${token}`;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      {!invitation ? (
        <>
          <h1 className="text-2xl font-bold">{t("invalidTitle")}</h1>
          <p>{t("invalidText")}</p>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold">{t("title", { cafe: invitation.tenant.name })}</h1>
          <p>{t("lead", { email: invitation.email, role: roles(invitation.role) })}</p>
          {invitation.accountExists && !(await currentStaffSession()) ? (
            <Link
              href={`/sign-in?next=${encodeURIComponent(path)}`}
              className="rounded-lg bg-espresso px-4 py-2 text-center font-semibold text-crema"
            >
              {t("signInToAccept")}
            </Link>
          ) : (
            <AcceptInvitationForm tenant={tenant} token={token} newAccount={!invitation.accountExists} />
          )}
        </>
      )}
    </main>
  );
}

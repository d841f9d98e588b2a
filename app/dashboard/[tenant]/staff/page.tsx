import { getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { BaristaTwoFactorForm, InviteForm, MemberForm } from "@/components/dashboard/staff-forms";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";
import { withdrawInvitationAction } from "./actions";

export const generateMetadata = sectionMetadata("staff");

export const dynamic = "force-dynamic";

/** The team (owner): invite by email, change roles and locations, remove members. */
export default async function StaffPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "staff.manage", `/dashboard/${slug}/staff`);
  const t = await getTranslations("staff");
  const roles = await getTranslations("dashboard.roles");
  const team = await (await serverCaller(slug)).staff.team();
  const { locations } = team;

  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <div className="mt-4">
        <BaristaTwoFactorForm tenant={slug} required={staff.tenant.requireBarista2fa} />
      </div>
      <section aria-labelledby="members-heading" className="mt-6">
        <h2 id="members-heading" className="text-lg font-semibold">
          {t("members")}
        </h2>
        <ul className="mt-3 grid gap-4 xl:grid-cols-2">
          {team.members.map((member) => (
            <li
              key={member.membershipId}
              className="rounded-xl border border-espresso/15 p-4"
              data-member={member.email}
            >
              <p className="font-semibold">{member.name ?? member.email}</p>
              <p className="text-sm">
                {member.email} · {roles(member.role)} · {member.twoFactor ? t("twoFactorOn") : t("twoFactorOff")}
              </p>
              <div className="mt-3">
                <MemberForm tenant={slug} member={member} locations={locations} />
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="invite-heading" className="mt-8">
        <h2 id="invite-heading" className="text-lg font-semibold">
          {t("inviteTitle")}
        </h2>
        <InviteForm tenant={slug} locations={locations} />
        {team.invitations.length > 0 ? (
          <>
            <h3 className="mt-6 font-semibold">{t("pending")}</h3>
            <ul className="mt-2 list-disc pl-6">
              {team.invitations.map((invitation) => (
                <li key={invitation.id} data-invitation={invitation.email}>
                  <form
                    action={withdrawInvitationAction.bind(null, slug, invitation.id)}
                    className="flex flex-wrap items-center gap-3"
                  >
                    <span>
                      {invitation.email} — {roles(invitation.role)}, {t("until", { date: invitation.expiresAt })}
                    </span>
                    <button
                      type="submit"
                      aria-label={t("withdraw", { email: invitation.email })}
                      className="rounded-lg border border-espresso/40 px-3 py-1 text-sm font-semibold hover:bg-crema"
                    >
                      {t("withdrawShort")}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}

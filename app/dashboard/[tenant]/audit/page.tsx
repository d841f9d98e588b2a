import { getTranslations } from "next-intl/server";
import { AuditTable } from "@/components/dashboard/audit-table";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { Field } from "@/components/ui/field";
import { AUDIT_ACTIONS } from "@/server/audit/actions";
import { type AuditSearch, auditFilterOf } from "@/server/audit/list";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("audit");

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

/** The audit log (owner): who did what, when and from where; filters by person, action and dates. */
export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<AuditSearch>;
}) {
  const slug = (await params).tenant;
  await requireStaffPage(slug, "audit.read", `/dashboard/${slug}/audit`);
  const search = await searchParams;
  const t = await getTranslations("audit");
  const caller = await serverCaller(slug);
  const filter = auditFilterOf(search, PAGE_SIZE);
  const { page } = filter;
  const [{ rows, total }, team] = await Promise.all([caller.audit.list(filter), caller.staff.team()]);
  const href = (nextPage: number) => {
    const query = new URLSearchParams(
      Object.entries({ ...search, page: String(nextPage) }).filter(([, v]) => v) as [string, string][],
    );
    return `?${query.toString()}`;
  };
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <form method="get" className="mt-4 flex flex-wrap items-end gap-3" aria-label={t("filters")}>
        <div className="flex flex-col gap-1">
          <label htmlFor="person" className="font-medium">
            {t("who")}
          </label>
          <select
            id="person"
            name="person"
            defaultValue={search.person ?? ""}
            className="rounded-lg border border-espresso/40 px-2 py-2"
          >
            <option value="">{t("anyone")}</option>
            {team.members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.email}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="action" className="font-medium">
            {t("what")}
          </label>
          <select
            id="action"
            name="action"
            defaultValue={search.action ?? ""}
            className="rounded-lg border border-espresso/40 px-2 py-2"
          >
            <option value="">{t("anyAction")}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`actions.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <Field id="from" name="from" type="date" label={t("from")} defaultValue={search.from ?? ""} />
        <Field id="to" name="to" type="date" label={t("to")} defaultValue={search.to ?? ""} />
        <button type="submit" className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("apply")}
        </button>
      </form>
      <AuditTable
        rows={rows.map((row) => ({
          id: row.id,
          createdAt: row.createdAt.toISOString().replace("T", " ").slice(0, 19),
          actorEmail: row.actorEmail,
          action: row.action,
          target: row.target,
          ip: row.ip,
        }))}
        total={total}
        page={page}
        pageSize={PAGE_SIZE}
        pageHref={{ previous: href(page - 1), next: href(page + 1) }}
      />
    </>
  );
}

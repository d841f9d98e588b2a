import { getLocale, getTranslations } from "next-intl/server";
import { AuditTable } from "@/components/dashboard/audit-table";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { Field, SelectField } from "@/components/ui/field";
import { AUDIT_ACTIONS } from "@/server/audit/actions";
import { type AuditSearch, auditFilterOf } from "@/server/audit/list";
import { requireStaffPage } from "@/server/auth/guard";
import { formatDateTime } from "@/server/format";
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
  const staff = await requireStaffPage(slug, "audit.read", `/dashboard/${slug}/audit`);
  const locale = await getLocale();
  const search = await searchParams;
  const t = await getTranslations("audit");
  const caller = await serverCaller(slug);
  // The date filters are the café's days, as its times in the table are.
  const filter = auditFilterOf(search, PAGE_SIZE, staff.tenant.timezone);
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
        <SelectField
          id="person"
          name="person"
          label={t("who")}
          defaultValue={search.person ?? ""}
          options={[
            { value: "", text: t("anyone") },
            ...team.members.map((member) => ({ value: member.userId, text: member.email })),
          ]}
        />
        <SelectField
          id="action"
          name="action"
          label={t("what")}
          defaultValue={search.action ?? ""}
          options={[
            { value: "", text: t("anyAction") },
            ...AUDIT_ACTIONS.map((action) => ({ value: action, text: t(`actions.${action}`) })),
          ]}
        />
        <Field id="from" name="from" type="date" label={t("from")} defaultValue={search.from ?? ""} />
        <Field id="to" name="to" type="date" label={t("to")} defaultValue={search.to ?? ""} />
        <button type="submit" className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("apply")}
        </button>
      </form>
      <AuditTable
        rows={rows.map((row) => ({
          id: row.id,
          createdAt: formatDateTime(row.createdAt, locale, staff.tenant.timezone, { zoneName: true }),
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

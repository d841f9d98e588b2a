import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { CreateKeyForm, RevokeKeyButton } from "@/components/dashboard/integration-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { publicUrl } from "@/server/env";
import { formatDateTime } from "@/server/format";
import { posApiReference } from "@/server/pos/api-reference";
import { referenceText } from "@/server/pos/api-reference-ru";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("integrations");

export const dynamic = "force-dynamic";

/** Integrations (owner): POS keys, their recent requests, the API reference with examples; hint rules have their own page. */
export default async function IntegrationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ key?: string }>;
}) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "pos_keys.manage", `/dashboard/${slug}/integrations`);
  const locale = await getLocale();
  // In the café's zone, the offset said once per value: the POS's clocks may be set otherwise.
  const when = (date: Date | null) =>
    date ? formatDateTime(date, locale, staff.tenant.timezone, { zoneName: true }) : "—";
  const t = await getTranslations("integrations");
  const caller = await serverCaller(slug);
  const { keys, locations } = await caller.integrations.keys();
  const selectedId = (await searchParams).key;
  const selectedKey = keys.find((key) => key.id === selectedId);
  const requests = selectedKey ? await caller.integrations.requests({ keyId: selectedKey.id }) : [];
  const base = publicUrl();
  const curl = `curl -X POST ${base}/api/pos/v1/receipts \\
  -H "Authorization: Bearer $ZERNO_KEY" -H "Content-Type: application/json" \\
  -d '{"externalId":"R-000123","occurredAt":"2026-11-22T08:15:00+03:00",
       "guest":{"identifier":"+7 916 123-45-67"},
       "lines":[{"sku":"cappuccino","name":"Капучино","quantity":1,"unitPrice":27000,"amount":27000}],
       "total":27000}'`;
  const typescript = `const key = "zk_live_…"; // from your POS's secret store, never in the source
const response = await fetch("${base}/api/pos/v1/guests/identify", {
  method: "POST",
  headers: { Authorization: \`Bearer \${key}\`, "Content-Type": "application/json" },
  body: JSON.stringify({ identifier: "+7 916 123-45-67" }),
});
const body = await response.json();
if (!response.ok) throw new Error(\`\${body.error.code}: \${body.error.message}\`);
console.log(body.guest.balance, body.maxRedeemablePoints);`;
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <section aria-labelledby="keys-heading" className="mt-6">
        <h2 id="keys-heading" className="text-lg font-semibold">
          {t("keys")}
        </h2>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t("keys")}</caption>
            <thead>
              <tr className="text-left">
                {["keyName", "prefix", "location", "created", "lastUsed", "state", "actions"].map((column) => (
                  <th key={column} scope="col" className="border-b border-espresso/20 px-2 py-2">
                    {t(column)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-key={key.prefix}>
                  <td className="px-2 py-1">{key.name}</td>
                  <td className="px-2 py-1 font-mono">{key.prefix}…</td>
                  <td className="px-2 py-1">
                    {locations.find((location) => location.slug === key.location)?.name ?? key.location}
                  </td>
                  <td className="px-2 py-1">{when(key.createdAt)}</td>
                  <td className="px-2 py-1">{when(key.lastUsedAt)}</td>
                  <td className="px-2 py-1">{key.revokedAt ? t("revoked") : t("active")}</td>
                  <td className="flex gap-3 px-2 py-1">
                    <a href={`?key=${key.id}#requests-heading`} className="underline">
                      {t("requests")}
                    </a>
                    {key.revokedAt ? null : <RevokeKeyButton tenant={slug} keyId={key.id} name={key.name} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3 className="mt-4 font-semibold">{t("newKey")}</h3>
        <CreateKeyForm tenant={slug} locations={locations} />
      </section>
      {selectedKey ? (
        <section aria-labelledby="requests-heading" className="mt-8">
          <h2 id="requests-heading" className="text-lg font-semibold">
            {t("requestsOf", { name: selectedKey.name })}
          </h2>
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">{t("requestsOf", { name: selectedKey.name })}</caption>
            <thead>
              <tr className="text-left">
                {["when", "request", "status", "latency"].map((column) => (
                  <th key={column} scope="col" className="border-b border-espresso/20 px-2 py-2">
                    {t(column)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {requests.map((request) => (
                <tr key={request.id}>
                  <td className="px-2 py-1">{when(request.createdAt)}</td>
                  <td className="px-2 py-1 font-mono">
                    {request.method} {request.path}
                  </td>
                  <td className="px-2 py-1">
                    {request.status}
                    {request.errorCode ? ` ${request.errorCode}` : ""}
                  </td>
                  <td className="px-2 py-1">{t("ms", { ms: request.latencyMs })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {requests.length === 0 ? <p className="mt-2">{t("noRequests")}</p> : null}
        </section>
      ) : null}
      <section aria-labelledby="reference-heading" className="mt-8">
        <h2 id="reference-heading" className="text-lg font-semibold">
          {t("reference")}
        </h2>
        <p className="mt-1">
          {t("referenceLead")}{" "}
          <a href="/api/pos/v1/openapi.json" className="underline">
            openapi.json
          </a>
        </p>
        <div className="mt-3 flex flex-col gap-4">
          {posApiReference().map((operation) => (
            <details key={`${operation.method} ${operation.path}`} className="rounded-lg border border-espresso/15 p-3">
              <summary className="cursor-pointer">
                <span className="font-mono font-semibold">
                  {operation.method} {operation.path}
                </span>{" "}
                — {referenceText(operation.summary, locale)}
              </summary>
              {operation.request.length > 0 ? (
                <ul className="mt-2 list-disc pl-6 text-sm">
                  {operation.request.map((field) => (
                    <li key={field.name}>
                      <code>{field.name}</code> ({field.type}
                      {field.required ? `, ${t("required")}` : ""})
                      {field.description ? ` — ${referenceText(field.description, locale)}` : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
              <p className="mt-2 text-sm">
                {t("answers")}: {operation.success.join(", ")}
                {operation.response.length > 0 ? " — " : ""}
                {operation.response.map((field, index) => (
                  <span key={field.name} title={field.description && referenceText(field.description, locale)}>
                    {index > 0 ? ", " : ""}
                    <code>{field.name}</code>
                  </span>
                ))}
              </p>
              <ul className="mt-1 list-disc pl-6 text-sm">
                {operation.errors.map((error) => (
                  <li key={error.code}>
                    {error.status} <code>{error.code}</code> — {referenceText(error.when, locale)}
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </div>
        <h3 className="mt-4 font-semibold">curl</h3>
        <pre className="mt-1 overflow-x-auto rounded-lg bg-espresso p-3 text-sm text-crema">{curl}</pre>
        <h3 className="mt-4 font-semibold">TypeScript</h3>
        <pre className="mt-1 overflow-x-auto rounded-lg bg-espresso p-3 text-sm text-crema">{typescript}</pre>
      </section>
      <p className="mt-8">
        <Link href={`/dashboard/${slug}/hints`} className="font-semibold underline">
          {t("hints")}
        </Link>{" "}
        — {t("hintsLead")}
      </p>
    </>
  );
}

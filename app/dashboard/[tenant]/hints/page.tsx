import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DeleteHintRuleButton, HintRuleForm } from "@/components/dashboard/integration-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("hints");

export const dynamic = "force-dynamic";

/** The barista's hints at the till (owners and managers): "who usually takes X is offered Y". */
export default async function HintsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  await requireStaffPage(slug, "hint_rules.manage", `/dashboard/${slug}/hints`);
  const t = await getTranslations("integrations");
  const { rules, products } = await (await serverCaller(slug)).integrations.hintRules();
  const named = (sku: string) => products.find((product) => product.sku === sku)?.name ?? sku;
  return (
    <>
      <h1 className="text-2xl font-bold">{t("hints")}</h1>
      <p className="mt-2">{t("hintsLead")}</p>
      <ul className="mt-4 flex flex-col gap-2">
        {rules.map((rule) => (
          <li key={rule.id} className="flex flex-wrap items-center gap-3">
            <span>
              {named(rule.ifSku)} <code>{rule.ifSku}</code> → {named(rule.suggestSku)} <code>{rule.suggestSku}</code>: «
              {rule.text}»
            </span>
            <DeleteHintRuleButton tenant={slug} ruleId={rule.id} />
          </li>
        ))}
      </ul>
      <div className="mt-4">
        {products.length > 0 ? (
          <HintRuleForm tenant={slug} products={products} />
        ) : (
          <p>
            {t("hintsNeedMenu")}{" "}
            <Link href={`/dashboard/${slug}/menu/editor`} className="underline">
              {t("hintsMenuLink")}
            </Link>
          </p>
        )}
      </div>
    </>
  );
}

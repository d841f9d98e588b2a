import { getTranslations } from "next-intl/server";
import { requireStorefront } from "@/server/guest-auth/guard";
import { readUnsubscribeToken } from "@/server/offers/notify";
import { unsubscribeAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | undefined>> };

/** The link in an offer email: one button withdraws the marketing consent (a GET alone changes nothing, so mail scanners cannot). */
export default async function UnsubscribePage({ params, searchParams }: Props) {
  const tenant = await requireStorefront((await params).tenant);
  const query = await searchParams;
  const t = await getTranslations("offers.unsubscribe");
  const token = query.token ?? "";
  const valid = token ? readUnsubscribeToken(token)?.tenantId === tenant.id : false;
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title")}</h1>
      {query.done ? (
        <p role="status" className="mt-4">
          {t("done", { cafe: tenant.name })}
        </p>
      ) : query.invalid || !valid ? (
        <p role="alert" className="mt-4">
          {t("invalid")}
        </p>
      ) : (
        <form action={unsubscribeAction} className="mt-4 flex flex-col gap-3">
          <p>{t("question", { cafe: tenant.name })}</p>
          <input type="hidden" name="tenant" value={tenant.slug} />
          <input type="hidden" name="token" value={token} />
          {query.send ? <input type="hidden" name="send" value={query.send} /> : null}
          <button type="submit" className="min-h-12 rounded-xl bg-espresso px-4 py-3 font-semibold text-crema">
            {t("confirm")}
          </button>
        </form>
      )}
    </main>
  );
}

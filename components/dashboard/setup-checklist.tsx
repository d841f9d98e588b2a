import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ResendConfirmationForm } from "@/components/sign-up/resend-confirmation";
import type { SetupChecklist as Checklist, SetupStep } from "@/server/signup/first-steps";
import { OpenStorefrontForm } from "./open-storefront-form";

/** Where each step is done, under /dashboard/<café> (the storefront step is a button instead). */
const STEP_PATHS: Record<Exclude<SetupStep, "storefront">, string> = {
  product: "/menu",
  loyalty: "/loyalty",
  posKey: "/integrations",
  colleague: "/staff",
};

/**
 * A new café's first steps, ticked from its data: "n of 5 done" with a progress bar, each open
 * step linking to where it is done. The overview hides it once all five are done.
 */
export async function SetupChecklist({
  tenant,
  checklist,
  emailConfirmed,
}: {
  tenant: string;
  checklist: Checklist;
  emailConfirmed: boolean;
}) {
  const t = await getTranslations("signUp.checklist");
  const progress = t("progress", { done: checklist.done, total: checklist.total });
  return (
    <section aria-labelledby="setup-heading" className="mt-6 max-w-2xl rounded-xl border border-espresso/15 p-4">
      <h2 id="setup-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p id="setup-progress" className="mt-1">
        {progress}
      </p>
      <progress
        aria-labelledby="setup-progress"
        value={checklist.done}
        max={checklist.total}
        className="mt-2 h-2 w-full accent-espresso"
      />
      <ol className="mt-4 flex flex-col gap-3">
        {checklist.steps.map((step) => (
          <li key={step.key} data-step={step.key} data-done={step.done} className="flex items-start gap-3">
            <span aria-hidden="true" className="mt-0.5 w-5 text-center">
              {step.done ? "✓" : "○"}
            </span>
            <div className="flex flex-col gap-2">
              <span className={step.done ? "text-espresso/70 line-through" : "font-medium"}>
                {step.key === "storefront" || step.done ? (
                  t(`steps.${step.key}`)
                ) : (
                  <Link href={`/dashboard/${tenant}${STEP_PATHS[step.key]}`} className="underline">
                    {t(`steps.${step.key}`)}
                  </Link>
                )}
                <span className="sr-only"> — {step.done ? t("done") : t("notDone")}</span>
              </span>
              {step.key === "storefront" && !step.done ? (
                <>
                  <p className="text-sm">
                    {t("storefrontHint")}{" "}
                    <a href={`/${tenant}`} className="underline">
                      {t("preview")}
                    </a>
                  </p>
                  {emailConfirmed ? null : (
                    <div className="flex flex-col gap-2 text-sm">
                      <p>{t("confirmEmailFirst")}</p>
                      <ResendConfirmationForm />
                    </div>
                  )}
                  <OpenStorefrontForm tenant={tenant} />
                </>
              ) : null}
              {step.key === "storefront" && step.done ? (
                <a href={`/${tenant}`} className="text-sm underline">
                  {t("visitStorefront")}
                </a>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

import { getTranslations } from "next-intl/server";

const STEPS = ["account", "twoFactor", "cafe"] as const;

/** Where the owner is in sign-up: account, 2FA, café. */
export async function SignUpSteps({ current }: { current: (typeof STEPS)[number] }) {
  const t = await getTranslations("signUp.steps");
  return (
    <ol aria-label={t("label")} className="flex flex-wrap gap-2 text-sm">
      {STEPS.map((step, index) => (
        <li
          key={step}
          aria-current={step === current ? "step" : undefined}
          className={`rounded-full px-3 py-1 ${step === current ? "bg-espresso text-crema" : "bg-white text-espresso"}`}
        >
          {index + 1}. {t(step)}
        </li>
      ))}
    </ol>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import {
  createKeyAction,
  deleteHintRuleAction,
  revokeKeyAction,
  saveHintRuleAction,
} from "@/app/dashboard/[tenant]/integrations/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { useErrorText } from "@/components/ui/error-text";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import { useFormKeepingValues } from "@/components/ui/keep-values";

export function CreateKeyForm({ tenant, locations }: { tenant: string; locations: { slug: string; name: string }[] }) {
  const t = useTranslations("integrations");
  const [state, action, pending] = useActionState(createKeyAction.bind(null, tenant), {});
  const keeping = useFormKeepingValues(action, state.createdKey ? state : false);
  return (
    <form action={action} {...keeping} className="flex max-w-md flex-col gap-3" noValidate>
      <FormError message={useErrorText("integrations", state.error)} />
      {state.createdKey ? (
        <div role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          <p className="font-semibold">{t("keyOnce")}</p>
          <code className="mt-2 block break-all font-mono" data-testid="new-pos-key">
            {state.createdKey}
          </code>
        </div>
      ) : null}
      <Field id="key-name" name="name" label={t("keyName")} placeholder="Касса 1" required />
      <SelectField
        id="key-location"
        name="location"
        label={t("location")}
        options={locations.map((location) => ({ value: location.slug, text: location.name }))}
      />
      <SubmitButton pending={pending}>{t("createKey")}</SubmitButton>
    </form>
  );
}

export function RevokeKeyButton({ tenant, keyId, name }: { tenant: string; keyId: string; name: string }) {
  const t = useTranslations("integrations");
  const [state, action, pending] = useActionState(revokeKeyAction.bind(null, tenant), {});
  return (
    <form action={action}>
      <FormError message={useErrorText("integrations", state.error)} />
      <input type="hidden" name="keyId" value={keyId} />
      <ConfirmSubmitButton
        label={t("revoke", { name })}
        question={t("revokeQuestion", { name })}
        confirm={t("revokeConfirm")}
        cancel={t("cancel")}
        pending={pending}
      />
    </form>
  );
}

/** A hint rule: both products picked from the menu (a select), never typed as SKUs. */
export function HintRuleForm({ tenant, products }: { tenant: string; products: { sku: string; name: string }[] }) {
  const t = useTranslations("integrations");
  const [state, action, pending] = useActionState(saveHintRuleAction.bind(null, tenant), {});
  const keeping = useFormKeepingValues(action, state.done ? state : false);
  return (
    <form action={action} {...keeping} className="flex max-w-md flex-col gap-3" noValidate>
      <FormError message={useErrorText("integrations", state.error)} />
      <SelectField
        id="if-sku"
        name="ifSku"
        label={t("ifSku")}
        required
        options={products.map((product) => ({ value: product.sku, text: `${product.name} (${product.sku})` }))}
      />
      <SelectField
        id="suggest-sku"
        name="suggestSku"
        label={t("suggestSku")}
        required
        defaultValue={products[1]?.sku ?? products[0]?.sku}
        options={products.map((product) => ({ value: product.sku, text: `${product.name} (${product.sku})` }))}
      />
      <Field
        id="hint-text"
        name="text"
        label={t("hintText")}
        placeholder="Предложите новый сорт из Эфиопии (+50 ₽)"
        required
      />
      <SubmitButton pending={pending}>{t("saveRule")}</SubmitButton>
    </form>
  );
}

export function DeleteHintRuleButton({ tenant, ruleId }: { tenant: string; ruleId: string }) {
  const t = useTranslations("integrations");
  const [, action, pending] = useActionState(deleteHintRuleAction.bind(null, tenant), {});
  return (
    <form action={action}>
      <input type="hidden" name="ruleId" value={ruleId} />
      <button type="submit" disabled={pending} className="text-red-800 underline">
        {t("deleteRule")}
      </button>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ProfileState, updateProfileAction } from "@/app/[tenant]/me/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";
import type { GuestProfile } from "@/server/cabinet/profile";

/** Name, phone, birthday and the marketing opt-in; the email is shown, not edited. */
export function ProfileForm({ tenant, profile }: { tenant: string; profile: GuestProfile }) {
  const t = useTranslations("cabinet.profile");
  const [state, action, pending] = useActionState<ProfileState, FormData>(updateProfileAction.bind(null, tenant), {});
  // A refused change keeps what the guest typed, so the message is about what they see.
  const submit = useSubmitKeepingValues(action);
  const error = state.error ? (t.has(`errors.${state.error}`) ? t(`errors.${state.error}`) : t("errors.generic")) : "";
  const invalid = (field: ProfileState["field"]) => (state.field === field ? true : undefined);
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      {state.saved && !pending ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("saved")}
        </p>
      ) : null}
      <Field
        id="profile-name"
        name="name"
        label={t("name")}
        defaultValue={profile.name ?? ""}
        maxLength={100}
        autoComplete="name"
        aria-invalid={invalid("name")}
      />
      <Field
        id="profile-phone"
        name="phone"
        type="tel"
        label={t("phone")}
        hint={t("phoneHint")}
        defaultValue={profile.phone ?? ""}
        required
        autoComplete="tel"
        inputMode="tel"
        aria-invalid={invalid("phone")}
      />
      <Field
        id="profile-email"
        label={t("email")}
        hint={t("emailHint")}
        value={profile.email ?? ""}
        readOnly
        type="email"
      />
      <Field
        id="profile-birthday"
        name="birthday"
        type="date"
        label={t("birthday")}
        hint={profile.birthday ? t("birthdayLocked") : t("birthdayHint")}
        defaultValue={profile.birthday ?? ""}
        readOnly={Boolean(profile.birthday)}
        max={new Date().toISOString().slice(0, 10)}
        aria-invalid={invalid("birthday")}
      />
      <div className="flex items-start gap-2">
        <input
          id="profile-marketing"
          name="marketingOptIn"
          type="checkbox"
          defaultChecked={profile.marketingOptIn}
          aria-describedby="profile-marketing-hint"
          className="mt-1 size-5"
        />
        <div>
          <label htmlFor="profile-marketing" className="font-medium">
            {t("marketing")}
          </label>
          <p id="profile-marketing-hint" className="text-sm text-espresso/80">
            {t("marketingHint")}
          </p>
        </div>
      </div>
      <div>
        <SubmitButton pending={pending}>{pending ? t("saving") : t("save")}</SubmitButton>
      </div>
    </form>
  );
}

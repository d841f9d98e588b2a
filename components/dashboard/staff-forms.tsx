"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import {
  baristaTwoFactorAction,
  changeMemberAction,
  inviteAction,
  removeMemberAction,
} from "@/app/dashboard/[tenant]/staff/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { useErrorText } from "@/components/ui/error-text";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import { useFormKeepingValues } from "@/components/ui/keep-values";

type Location = { id: string; name: string };
const ROLES = ["owner", "manager", "barista"] as const;

function RoleAndLocations({
  idPrefix,
  role,
  locations,
  selected,
}: {
  idPrefix: string;
  role?: string;
  locations: Location[];
  selected?: string[];
}) {
  const t = useTranslations("staff");
  const roles = useTranslations("dashboard.roles");
  return (
    <>
      <SelectField
        id={`${idPrefix}-role`}
        name="role"
        label={t("role")}
        defaultValue={role ?? "barista"}
        options={ROLES.map((value) => ({ value, text: roles(value) }))}
      />
      <fieldset className="flex flex-col gap-1">
        <legend className="font-medium">{t("locations")}</legend>
        <p className="text-sm text-espresso/80">{t("locationsHint")}</p>
        {locations.map((location) => (
          <label key={location.id} className="flex items-center gap-2">
            <input
              type="checkbox"
              name="locationIds"
              value={location.id}
              defaultChecked={selected?.includes(location.id)}
            />
            {location.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

export function InviteForm({ tenant, locations }: { tenant: string; locations: Location[] }) {
  const t = useTranslations("staff");
  const [state, action, pending] = useActionState(inviteAction.bind(null, tenant), {});
  const keeping = useFormKeepingValues(action, state.done ? state : false);
  return (
    <form action={action} {...keeping} className="flex max-w-md flex-col gap-4" noValidate>
      <FormError message={useErrorText("staff", state.error)} />
      {state.done ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("invited")}
        </p>
      ) : null}
      <Field id="invite-email" name="email" type="email" label={t("email")} required />
      <RoleAndLocations idPrefix="invite" locations={locations} />
      <SubmitButton pending={pending}>{t("invite")}</SubmitButton>
    </form>
  );
}

export function MemberForm({
  tenant,
  member,
  locations,
}: {
  tenant: string;
  member: { membershipId: string; email: string; role: string; locationIds: string[] };
  locations: Location[];
}) {
  const t = useTranslations("staff");
  const [state, action, pending] = useActionState(changeMemberAction.bind(null, tenant), {});
  const [removeState, remove, removing] = useActionState(removeMemberAction.bind(null, tenant), {});
  const changeError = useErrorText("staff", state.error);
  const removeError = useErrorText("staff", removeState.error);
  const error = changeError ?? removeError;
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} />
      <form action={action} className="flex flex-col gap-3" aria-label={t("editMember", { email: member.email })}>
        <input type="hidden" name="membershipId" value={member.membershipId} />
        <RoleAndLocations
          idPrefix={member.membershipId}
          role={member.role}
          locations={locations}
          selected={member.locationIds}
        />
        <SubmitButton pending={pending}>{t("save")}</SubmitButton>
      </form>
      <form action={remove}>
        <input type="hidden" name="membershipId" value={member.membershipId} />
        <ConfirmSubmitButton
          label={t("remove", { email: member.email })}
          question={t("removeQuestion", { email: member.email })}
          confirm={t("removeConfirm")}
          cancel={t("cancel")}
          pending={removing}
        />
      </form>
    </div>
  );
}

export function BaristaTwoFactorForm({ tenant, required }: { tenant: string; required: boolean }) {
  const t = useTranslations("staff");
  const [state, action, pending] = useActionState(baristaTwoFactorAction.bind(null, tenant), {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <FormError message={useErrorText("staff", state.error)} />
      <label className="flex items-center gap-2">
        <input type="checkbox" name="required" defaultChecked={required} />
        {t("requireBarista2fa")}
      </label>
      <SubmitButton pending={pending}>{t("save")}</SubmitButton>
    </form>
  );
}

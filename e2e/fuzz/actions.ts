// Hostile calls of every server action, sent as the browser sends them: a POST to a page that
// uses the action, its id in `Next-Action`, its arguments encoded by React's own encodeReply. The
// actions are read from the build's server-reference manifest, so a new one without an entry in
// ACTION_ARGS fails the run.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FuzzRequest } from "./harness";
import type { FuzzContext } from "./routes";
import { inputSchemaOf, mutations, sample } from "./schema";
import { NASTY_STRINGS, WRONG_KINDS } from "./values";

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.edge.js") as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

/** The nasty strings a form field gets (a subset: each action call renders a page). */
const FORM_NASTY = NASTY_STRINGS.filter(({ label }) =>
  ["script#0", "script#1", "script#3", "nul", "control", "lone-surrogate", "crlf", "long-10k", "empty", "sql"].includes(
    label,
  ),
);

/** What an argument gets instead of what the page passes. */
const ARG_KINDS = [
  ...WRONG_KINDS.filter(({ label }) => ["null", "true", "array", "object"].includes(label)),
  { label: "nul", value: "\u0000" },
  { label: "long", value: "x".repeat(100_000) },
];

export type ServerAction = { id: string; file: string; name: string; page: string };

/** Every server action of the build in `distDir`, with the first page that uses it. */
export function serverActionsOf(distDir: string): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    file: entry.filename,
    name: entry.exportedName,
    page: Object.keys(entry.workers)[0] ?? "app/page",
  }));
}

/** An argument of an action, by what the page passes. */
type Arg =
  | { tenant: true }
  | { state: true }
  | { form: Record<string, string> }
  | { text: (ctx: FuzzContext) => string }
  | { flag: boolean }
  | { input: string; field?: string };

type Spec = { caller: "staff" | "guest" | "none"; args: Arg[] };

const T: Arg = { tenant: true };
const S: Arg = { state: true };
const form = (fields: Record<string, string>): Arg => ({ form: fields });
const input = (procedure: string, field?: string): Arg => ({ input: procedure, field });
const guest = (...args: Arg[]): Spec => ({ caller: "guest", args });
const staff = (...args: Arg[]): Spec => ({ caller: "staff", args });
const anyone = (...args: Arg[]): Spec => ({ caller: "none", args });

/** An offer as the back-office form sends it. */
const OFFER_FORM = {
  kind: "percent_off",
  value: "10",
  titleRu: "Скидка",
  titleEn: "Discount",
  descriptionRu: "",
  descriptionEn: "",
  code: "FUZZ10",
  source: "code",
  validFrom: "2026-01-01",
  validUntil: "2026-12-31",
  skus: "cappuccino",
  requiredSkus: "",
  categories: "",
  locationIds: "",
};

/** A campaign as the back-office form sends it (a draft: the fuzz never launches one). */
const CAMPAIGN_FORM = {
  name: "Фазз",
  kind: "win_back",
  subject: "Мы скучаем",
  body: "Заходите за кофе",
  bonusPoints: "50",
  bonusExpiresDays: "14",
  holdoutPercent: "10",
  windowDays: "14",
};

/** An id no row has: the action must refuse it as not found. */
const NO_SUCH_ID: Arg = { text: () => "00000000-0000-4000-8000-000000000001" };

/**
 * Each action's arguments as its page passes them (`file#name`). Actions that end the caller's
 * session are called signed out; the rest with a form a real user could not get past validation
 * into harm (a wrong current password, "no" to deleting the account).
 */
export const ACTION_ARGS: Record<string, Spec> = {
  "app/[tenant]/checkout/actions.ts#placeOrderAction": guest(T, input("shop.place")),
  "app/[tenant]/checkout/actions.ts#quoteAction": guest(T, input("shop.quote")),
  "app/[tenant]/me/actions.ts#answerSurveyAction": guest(
    T,
    { text: (ctx) => ctx.ids.surveyId ?? "x" },
    S,
    form({ "rating:00000000-0000-4000-8000-000000000001": "5", "text:00000000-0000-4000-8000-000000000002": "ok" }),
  ),
  "app/[tenant]/me/actions.ts#claimAction": guest(
    T,
    S,
    form({ qr: "t=20261122T0815&s=450.00&fn=7380440700000001&i=1&fp=1&n=1" }),
  ),
  "app/[tenant]/me/actions.ts#deleteAccountAction": guest(T, S, form({ confirm: "no" })),
  "app/[tenant]/me/actions.ts#refreshQrAction": guest(T),
  "app/[tenant]/me/actions.ts#signOutAction": anyone(T),
  "app/[tenant]/me/actions.ts#signOutEverywhereAction": anyone(T),
  "app/[tenant]/me/actions.ts#updateProfileAction": guest(
    T,
    S,
    form({ name: "Гость", phone: "+79160000000", birthday: "1990-01-01", marketingOptIn: "on" }),
  ),
  "app/[tenant]/orders/actions.ts#cancelOrderAction": guest(T, { text: (ctx) => ctx.ids.orderId ?? "x" }),
  "app/[tenant]/orders/actions.ts#reorderAction": guest(T, { text: (ctx) => ctx.ids.orderId ?? "x" }),
  "app/[tenant]/orders/push-actions.ts#subscribePushAction": guest(T, input("shop.subscribePush")),
  "app/[tenant]/orders/push-actions.ts#unsubscribePushAction": guest(T, { text: () => "https://push.example/fuzz" }),
  "app/[tenant]/sign-in/actions.ts#requestMagicLinkAction": anyone(
    S,
    form({ tenant: "", email: "fuzz-magic@e2e.test", next: "/" }),
  ),
  "app/[tenant]/sign-in/actions.ts#guestSignOutAction": anyone(form({ tenant: "" })),
  "app/[tenant]/welcome/actions.ts#enrolAction": guest(
    S,
    form({ tenant: "", name: "Гость", phone: "+79160000001", consent: "on", marketing: "on", cardCode: "", next: "/" }),
  ),
  "app/account/actions.ts#changePasswordAction": staff(
    S,
    form({ current: "not-the-password", password: "fuzz-password-2026" }),
  ),
  "app/account/actions.ts#confirmEnrolmentAction": staff(S, form({ code: "000000" })),
  "app/account/actions.ts#regenerateCodesAction": staff(S, form({ code: "000000" })),
  "app/account/actions.ts#signOutAction": anyone(),
  "app/account/actions.ts#signOutEverywhereAction": anyone(),
  "app/account/actions.ts#verifySessionAction": staff(S, form({ code: "000000", next: "/dashboard" })),
  "app/dashboard/[tenant]/actions.ts#openStorefrontAction": staff(T, S, form({})),
  "app/dashboard/[tenant]/billing/actions.ts#checkoutAction": staff(T, form({ plan: "pro", interval: "month" })),
  "app/dashboard/[tenant]/billing/actions.ts#portalAction": staff(T),
  "app/dashboard/[tenant]/campaigns/actions.ts#createCampaignAction": staff(T, S, form(CAMPAIGN_FORM)),
  "app/dashboard/[tenant]/campaigns/actions.ts#updateCampaignAction": staff(T, NO_SUCH_ID, S, form(CAMPAIGN_FORM)),
  "app/dashboard/[tenant]/campaigns/actions.ts#sendTestAction": staff(T, NO_SUCH_ID, S, form({ locale: "ru" })),
  "app/dashboard/[tenant]/campaigns/actions.ts#launchCampaignAction": staff(T, NO_SUCH_ID, S, form({})),
  "app/dashboard/[tenant]/campaigns/actions.ts#setCampaignStatusAction": staff(
    T,
    NO_SUCH_ID,
    S,
    form({ action: "pause" }),
  ),
  "app/dashboard/[tenant]/campaigns/actions.ts#updateSettingsAction": staff(
    T,
    S,
    form({
      frequencyCapCount: "2",
      frequencyCapDays: "7",
      quietStart: "22:00",
      quietEnd: "09:00",
      globalControlEnabled: "on",
    }),
  ),
  "app/dashboard/[tenant]/roi/actions.ts#saveRoiAssumptionsAction": staff(
    T,
    S,
    form({ cogsPercent: "30", pointCost: "0,5", subscription: "", winbackPercent: "20" }),
  ),
  "app/dashboard/[tenant]/export/actions.ts#exportStatusAction": staff(T),
  "app/dashboard/[tenant]/export/actions.ts#startExportAction": staff(T),
  "app/dashboard/[tenant]/guests/import/actions.ts#applyImportAction": staff(
    T,
    S,
    form({ batchId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/guests/import/actions.ts#checkImportAction": staff(
    T,
    S,
    form({
      batchId: "00000000-0000-4000-8000-000000000001",
      preset: "generic",
      "map.name": "0",
      "map.phone": "1",
      balanceMode: "add",
      tierMode: "carry",
      saveAs: "x",
    }),
  ),
  "app/dashboard/[tenant]/guests/import/actions.ts#undoImportAction": staff(
    T,
    S,
    form({ batchId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/guests/import/actions.ts#deleteMappingAction": staff(
    T,
    S,
    form({ mappingId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/guests/lookup/actions.ts#setOnlineAccessAction": staff(
    T,
    { text: () => "0000000000" },
    { flag: false },
  ),
  "app/dashboard/[tenant]/integrations/actions.ts#createKeyAction": staff(
    T,
    S,
    form({ location: "main", name: "fuzz" }),
  ),
  "app/dashboard/[tenant]/integrations/actions.ts#deleteHintRuleAction": staff(
    T,
    S,
    form({ ruleId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/integrations/actions.ts#revokeKeyAction": staff(
    T,
    S,
    form({ keyId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/integrations/actions.ts#saveHintRuleAction": staff(
    T,
    S,
    form({ ifSku: "cappuccino", suggestSku: "croissant", text: "Предложите круассан" }),
  ),
  "app/dashboard/[tenant]/locations/actions.ts#addLocationAction": staff(
    T,
    S,
    form({ name: "Вторая", slug: "second", address: "ул. Фаззинга, 2", timezone: "Europe/Moscow" }),
  ),
  "app/dashboard/[tenant]/locations/actions.ts#archiveLocationAction": staff(
    T,
    S,
    form({ locationId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/locations/actions.ts#updateLocationAction": staff(
    T,
    { text: (ctx) => ctx.ids.locationId ?? "x" },
    input("locations.update", "settings"),
  ),
  "app/dashboard/[tenant]/loyalty/actions.ts#confirmRulesAction": staff(T, S, form({})),
  "app/dashboard/[tenant]/loyalty/actions.ts#previewRulesAction": staff(T, input("loyalty.preview")),
  "app/dashboard/[tenant]/loyalty/actions.ts#publishRulesAction": staff(T, input("loyalty.publish")),
  "app/dashboard/[tenant]/menu/actions.ts#setAvailableAction": staff(T, input("menu.setAvailable")),
  "app/dashboard/[tenant]/menu/actions.ts#setSoldOutAction": staff(T, input("menu.setSoldOut")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#deleteProductAction": staff(T, input("menu.deleteProduct")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#moveCategoryAction": staff(T, input("menu.moveCategory")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#removeProductPhotoAction": staff(T, {
    text: (ctx) => ctx.ids.productId ?? "x",
  }),
  "app/dashboard/[tenant]/menu/editor/actions.ts#saveCategoryAction": staff(T, input("menu.saveCategory")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#saveModifierGroupAction": staff(T, input("menu.saveModifierGroup")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#saveProductAction": staff(T, input("menu.saveProduct")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#setCategoryArchivedAction": staff(
    T,
    input("menu.setCategoryArchived"),
  ),
  "app/dashboard/[tenant]/menu/editor/actions.ts#setLocationPriceAction": staff(T, input("menu.setLocationPrice")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#setModifierGroupArchivedAction": staff(
    T,
    input("menu.setModifierGroupArchived"),
  ),
  "app/dashboard/[tenant]/menu/editor/actions.ts#setOptionSoldOutAction": staff(T, input("menu.setOptionSoldOut")),
  "app/dashboard/[tenant]/menu/editor/actions.ts#setProductArchivedAction": staff(T, input("menu.setProductArchived")),
  "app/dashboard/[tenant]/menu/import/actions.ts#menuImportAction": staff(
    T,
    S,
    form({ defaultCategory: "Разное", mode: "dry-run" }),
  ),
  "app/dashboard/[tenant]/menu/import/actions.ts#undoMenuImportAction": staff(
    T,
    S,
    form({ batchId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/orders/actions.ts#advanceOrderAction": staff(T, input("orders.advance")),
  "app/dashboard/[tenant]/staff/actions.ts#baristaTwoFactorAction": staff(T, S, form({ required: "on" })),
  "app/dashboard/[tenant]/staff/actions.ts#changeMemberAction": staff(
    T,
    S,
    form({ membershipId: "00000000-0000-4000-8000-000000000001", role: "barista", locationIds: "" }),
  ),
  "app/dashboard/[tenant]/staff/actions.ts#inviteAction": staff(
    T,
    S,
    form({ email: "fuzz-invite@e2e.test", role: "barista", locationIds: "" }),
  ),
  "app/dashboard/[tenant]/staff/actions.ts#removeMemberAction": staff(
    T,
    S,
    form({ membershipId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "app/dashboard/[tenant]/staff/actions.ts#withdrawInvitationAction": staff(T, {
    text: () => "00000000-0000-4000-8000-000000000001",
  }),
  "app/forgot-password/actions.ts#requestResetAction": anyone(S, form({ email: "fuzz-reset@e2e.test" })),
  "app/forgot-password/actions.ts#resetPasswordAction": anyone(S, form({ token: "x", password: "fuzz-password-2026" })),
  "app/invite/[tenant]/[token]/actions.ts#acceptInvitationAction": anyone(
    T,
    { text: () => "not-a-token" },
    S,
    form({ name: "Фаззер", password: "fuzz-password-2026" }),
  ),
  "app/sign-in/actions.ts#submitCode": anyone(S, form({ code: "000000", next: "/dashboard" })),
  "app/sign-in/actions.ts#submitPassword": anyone(
    S,
    form({ email: "fuzz-sign-in@e2e.test", password: "wrong-password", next: "/dashboard" }),
  ),
  "app/sign-up/actions.ts#createCafeAction": anyone(
    S,
    form({
      name: "Фазз",
      slug: "fuzz",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      "location.name": "Главная",
      "location.address": "ул. 1",
    }),
  ),
  "app/sign-up/actions.ts#resendConfirmationAction": staff(S, form({})),
  "app/sign-up/actions.ts#signUpAction": anyone(S, form({ email: "", password: "" })),
  "app/sign-up/actions.ts#slugAdviceAction": staff({ input: "", field: "slug-advice" }),
  "app/[tenant]/unsubscribe/actions.ts#unsubscribeAction": anyone(form({ tenant: "", token: "not-a-token" })),
  "app/dashboard/[tenant]/guests/actions.ts#saveColumnsAction": staff(T, form({ columns: "name" })),
  "app/dashboard/[tenant]/guests/[id]/actions.ts#adjustPointsAction": staff(
    T,
    { text: (ctx) => ctx.ids.guestId ?? "x" },
    S,
    form({ delta: "0", expectedBalance: "-1", reason: "фазз" }),
  ),
  "app/dashboard/[tenant]/offers/actions.ts#createOfferAction": staff(T, S, form(OFFER_FORM)),
  "app/dashboard/[tenant]/offers/actions.ts#updateOfferAction": staff(
    T,
    { text: () => "00000000-0000-4000-8000-000000000001" },
    S,
    form(OFFER_FORM),
  ),
  "app/dashboard/[tenant]/offers/actions.ts#setOfferStatusAction": staff(
    T,
    { text: () => "00000000-0000-4000-8000-000000000001" },
    S,
    form({ status: "paused" }),
  ),
  "app/dashboard/[tenant]/offers/actions.ts#giveOfferAction": staff(
    T,
    { text: () => "00000000-0000-4000-8000-000000000001" },
    S,
    form({ to: "guest", identifier: "0000000000", segment: "all" }),
  ),
  "components/storefront/actions.ts#chooseLocationAction": anyone(
    form({ tenant: "", locationId: "00000000-0000-4000-8000-000000000001" }),
  ),
  "server/i18n/actions.ts#setLocale": anyone(form({ locale: "en" })),
};

/** The URL of a page of the action: its route with the café's slug and real ids in it. */
function pagePath(page: string, ctx: FuzzContext): string {
  const route = page
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .replace(/\/\([^)]+\)/g, "")
    .replace("[tenant]", ctx.slug)
    .replace("[location]", "main")
    .replace("[orderId]", ctx.ids.orderId ?? "x")
    .replace("[token]", "not-a-token")
    .replace(/\[[^\]]+\]/g, "x");
  return route || "/";
}

type Procedures = Record<string, { inputs: unknown[] }>;

function baseValue(arg: Arg, ctx: FuzzContext, procedures: Procedures): unknown {
  if ("tenant" in arg) return ctx.slug;
  if ("state" in arg) return {};
  if ("text" in arg) return arg.text(ctx);
  if ("flag" in arg) return arg.flag;
  if ("form" in arg) return { ...arg.form, ...("tenant" in arg.form ? { tenant: ctx.slug } : {}) };
  if (arg.field === "slug-advice") return { slug: "fuzz", name: "Фазз" };
  const schema = inputSchemaOf(procedures[arg.input]?.inputs[0]);
  const value = schema ? sample(schema, schema, "", ctx.ids) : {};
  return arg.field ? (value as Record<string, unknown>)[arg.field] : value;
}

function inputMutations(arg: Arg, ctx: FuzzContext, procedures: Procedures): unknown[] {
  if (!("input" in arg) || !arg.input) return [];
  const schema = inputSchemaOf(procedures[arg.input]?.inputs[0]);
  const all = mutations(schema, ctx.ids).map(({ input }) =>
    arg.field && input && typeof input === "object" ? (input as Record<string, unknown>)[arg.field] : input,
  );
  // An even spread of at most 20: the procedure itself gets every one over tRPC.
  const step = Math.max(1, Math.ceil(all.length / 20));
  return all.filter((_, index) => index % step === 0);
}

/** Encodes the arguments as React does; form arguments become FormData. */
async function encode(args: unknown[], formAt: Set<number>): Promise<{ body: string | FormData; type?: string }> {
  const values = args.map((value, index) => {
    if (!formAt.has(index) || !value || typeof value !== "object" || Array.isArray(value)) return value;
    const data = new FormData();
    for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
      if (field instanceof Blob) data.append(name, field, "file.csv");
      else data.append(name, String(field));
    }
    return data;
  });
  const body = await encodeReply(values);
  return typeof body === "string" ? { body, type: "text/plain;charset=UTF-8" } : { body };
}

/** A request that calls the action, ready to send (the body is encoded when sent). */
export type ActionCall = {
  label: string;
  /** "value": hostile values in a call a page could make; "shape": wrong-typed arguments, a broken body. */
  kind: "value" | "shape";
  make: () => Promise<FuzzRequest>;
};

/** The hostile calls of one action: each argument of the wrong kind, each form field nasty, bad envelopes. */
export function actionCalls(action: ServerAction, spec: Spec, ctx: FuzzContext, procedures: Procedures): ActionCall[] {
  const target = pagePath(action.page, ctx);
  const cookie = spec.caller === "staff" ? ctx.staffCookie : spec.caller === "guest" ? ctx.guestCookie : "";
  const headers = {
    "next-action": action.id,
    accept: "text/x-component",
    origin: ctx.origin,
    ...(cookie ? { cookie } : {}),
  };
  const formAt = new Set(spec.args.flatMap((arg, index) => ("form" in arg ? [index] : [])));
  const base = spec.args.map((arg) => baseValue(arg, ctx, procedures));
  const call = (
    label: string,
    args: unknown[],
    keepForms = formAt,
    kind: ActionCall["kind"] = "value",
  ): ActionCall => ({
    label: `${action.name}:${label}`,
    kind,
    make: async () => {
      const { body, type } = await encode(args, keepForms);
      return { method: "POST", path: target, headers: { ...headers, ...(type ? { "content-type": type } : {}) }, body };
    },
  });
  const raw = (label: string, body: string): ActionCall => ({
    label: `${action.name}:envelope:${label}`,
    kind: "shape",
    make: async () => ({
      method: "POST",
      path: target,
      headers: { ...headers, "content-type": "text/plain;charset=UTF-8" },
      body,
    }),
  });
  const calls: ActionCall[] = [call("base", base)];
  spec.args.forEach((arg, index) => {
    const replaced = (value: unknown) => base.map((current, at) => (at === index ? value : current));
    const asPlain = new Set([...formAt].filter((at) => at !== index));
    for (const { label, value } of ARG_KINDS) {
      calls.push(call(`arg${index}=${label}`, replaced(value), asPlain, "shape"));
    }
    if ("form" in arg) {
      const fields = base[index] as Record<string, unknown>;
      for (const name of Object.keys(fields)) {
        for (const { label, value } of FORM_NASTY) {
          calls.push(call(`${name}=${label}`, replaced({ ...fields, [name]: value })));
        }
        calls.push(
          call(`${name}=file`, replaced({ ...fields, [name]: new Blob(["<script>window.__xss=1</script>"]) })),
        );
        const { [name]: _removed, ...rest } = fields;
        calls.push(call(`${name}=removed`, replaced(rest)));
      }
      calls.push(
        call("form=extra-fields", replaced({ ...fields, __proto__field: "x", $ACTION_ID_x: "1", "1_x": "y" })),
      );
    }
    inputMutations(arg, ctx, procedures).forEach((value, at) => {
      calls.push(call(`arg${index}#${at}`, replaced(value)));
    });
  });
  calls.push(
    raw("not-json", "not json"),
    raw("truncated", '["x",'),
    raw("dangling-reference", '["$Q99"]'),
    raw("dangling-promise", '["$@7"]'),
    raw("form-without-parts", '["$K1","$K2"]'),
    raw("object-not-array", '{"0":"x"}'),
  );
  return calls;
}

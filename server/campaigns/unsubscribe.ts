import { and, eq, isNull } from "drizzle-orm";
import { appDb, type Database, withTenant } from "@/db/client";
import { campaignSends } from "@/db/schema";
import { withdrawMarketingConsent } from "../cabinet/profile";
import { readUnsubscribeToken } from "../offers/notify";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a POST body is RFC 8058's one-click request (`List-Unsubscribe=One-Click`). */
export function isOneClickBody(form: FormData | null, raw: string): boolean {
  if (form?.get("List-Unsubscribe") === "One-Click") return true;
  return new URLSearchParams(raw).get("List-Unsubscribe") === "One-Click";
}

/**
 * Withdraws the marketing consent a signed unsubscribe token names (recorded as a consent
 * change and audited, as the unsubscribe page does) and marks the campaign message it came
 * from as unsubscribed. No sign-in: the token is the proof. False for a forged, expired or
 * other café's token, or a guest who is gone. A second call changes nothing more.
 */
export async function unsubscribeFromCampaign(
  db: Database,
  cafe: { id: string },
  token: string,
  sendId: string | null,
  meta: { ip?: string | null; now?: Date } = {},
): Promise<boolean> {
  const named = readUnsubscribeToken(token);
  if (!named || named.tenantId !== cafe.id) return false;
  return withTenant(
    cafe.id,
    async (tx) => {
      if (!(await withdrawMarketingConsent(tx, named.guestId, { ip: meta.ip ?? null }))) return false;
      if (sendId && UUID.test(sendId)) {
        await tx
          .update(campaignSends)
          .set({ unsubscribedAt: meta.now ?? new Date() })
          .where(
            and(
              eq(campaignSends.id, sendId),
              eq(campaignSends.guestId, named.guestId),
              isNull(campaignSends.unsubscribedAt),
            ),
          );
      }
      return true;
    },
    db,
  );
}

/** unsubscribeFromCampaign over the app's pool (the unsubscribe page's button). */
export function unsubscribeFromCampaignLink(
  cafe: { id: string },
  token: string,
  sendId: string | null,
  meta: { ip?: string | null } = {},
) {
  return unsubscribeFromCampaign(appDb(), cafe, token, sendId, meta);
}

/**
 * The one-click endpoint's answer (RFC 8058): the body must be `List-Unsubscribe=One-Click`
 * (form-encoded or multipart), the URL carries the signed token and the send id. 400 for
 * anything else or a bad token; 200 when the consent is withdrawn (or was already).
 */
export async function answerOneClickUnsubscribe(
  db: Database,
  cafe: { id: string },
  request: Request,
  meta: { ip?: string | null } = {},
): Promise<Response> {
  const raw = await request.text();
  const form = await new Response(raw, { headers: { "content-type": request.headers.get("content-type") ?? "" } })
    .formData()
    .catch(() => null);
  if (!isOneClickBody(form, raw)) {
    return Response.json({ error: "expected List-Unsubscribe=One-Click" }, { status: 400 });
  }
  const url = new URL(request.url);
  const done = await unsubscribeFromCampaign(
    db,
    cafe,
    url.searchParams.get("token") ?? "",
    url.searchParams.get("send"),
    meta,
  );
  if (!done) return Response.json({ error: "invalid or expired link" }, { status: 400 });
  return Response.json({ unsubscribed: true });
}

/** answerOneClickUnsubscribe over the app's pool (the one-click route). */
export function answerOneClickUnsubscribeOnApp(
  cafe: { id: string },
  request: Request,
  meta: { ip?: string | null } = {},
) {
  return answerOneClickUnsubscribe(appDb(), cafe, request, meta);
}

// POST /<café>/unsubscribe/one-click?token=…&send=… — RFC 8058 one-click unsubscribe (List-Unsubscribe-Post).
import { answerOneClickUnsubscribeOnApp } from "@/server/campaigns/unsubscribe";
import { clientIp } from "@/server/http";
import { TENANT_SLUG } from "@/server/tenants/create";
import { findTenantBySlug } from "@/server/tenants/queries";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ tenant: string }> };

/** The mail client's one-click request: no sign-in, the signed token names the guest. */
export async function POST(request: Request, { params }: Context) {
  const slug = (await params).tenant;
  const tenant = TENANT_SLUG.test(slug) ? await findTenantBySlug(slug) : null;
  if (!tenant) return Response.json({ error: "not found" }, { status: 404 });
  return answerOneClickUnsubscribeOnApp(tenant, request, { ip: clientIp(request.headers) });
}

/** A GET (a person, or a mail scanner following the link) changes nothing: the page asks first. */
export async function GET(request: Request, { params }: Context) {
  const slug = (await params).tenant;
  const url = new URL(request.url);
  const page = new URL(`/${encodeURIComponent(slug)}/unsubscribe`, url);
  page.search = url.search;
  return Response.redirect(page, 303);
}

import { forbidden } from "next/navigation";
import { requireGuestPage } from "@/server/guest-auth/guard";
import { onlineAccessClosed } from "@/server/guest-auth/guests";
import { serverCaller } from "@/server/trpc/server-caller";

/**
 * The start of every cabinet page: the café's enrolled guest (else sign-in or the welcome form,
 * see requireGuestPage), a blocked card → 403, and the tRPC caller whose procedures do the rest.
 */
export async function cabinetPage(slug: string, path: string) {
  const page = await requireGuestPage(slug, path);
  if (onlineAccessClosed(page.guest)) forbidden();
  return { ...page, cabinet: (await serverCaller(page.tenant.slug)).cabinet };
}

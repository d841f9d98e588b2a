import { cache } from "react";
import { guestAuth } from "./config";

/** A signed-in guest identity: an email address proven by a magic link, not yet any café's guest. */
export type GuestAccount = { accountId: string; email: string };

/** The signed-in guest identity of the current request, or null (once per request). */
export const currentGuestAccount = cache(async (): Promise<GuestAccount | null> => {
  const session = await guestAuth();
  return session?.guest ?? null;
});

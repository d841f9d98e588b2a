import { cache } from "react";
import { auth } from "./config";
import type { StaffSession } from "./sessions";

/** The signed-in staff session of the current request, or null (once per request). */
export const currentStaffSession = cache(async (): Promise<StaffSession | null> => {
  const session = await auth();
  return session?.staff ?? null;
});

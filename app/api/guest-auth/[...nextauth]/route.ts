// /api/guest-auth/* — Auth.js for guests (magic-link callback, session, sign-out).
import { guestAuthHandlers } from "@/server/guest-auth/config";

export const { GET, POST } = guestAuthHandlers;

// /api/auth/* — Auth.js (sessions, CSRF, sign-out).
import { handlers } from "@/server/auth/config";

export const { GET, POST } = handlers;

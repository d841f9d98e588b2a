import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import { appDb } from "@/db/client";
import { authSecret } from "../env";
import { AppError } from "../errors";
import { clientIp } from "../http";
import { authLogger, authRequestId } from "./auth-logger";
import { recordSecurityEvent, signInTenant } from "./security-events";
import { createStaffSession, type MfaState, touchStaffSession } from "./sessions";
import { checkSecondFactor } from "./sign-in";
import { verifyToken } from "./tokens";

declare module "next-auth" {
  interface Session {
    staff?: { userId: string; sid: string; mfa: MfaState };
    user?: DefaultSession["user"];
  }
  interface User {
    sid?: string;
  }
}

/** The sign-in ticket: the password step passed, this is what the next step must do. */
export type SignInTicket = { uid: string; next: "second_factor" | "enrol" | "done" };
export const SIGN_IN_TICKET = "sign-in-ticket";
export const SIGN_IN_TICKET_COOKIE = "zerno_sign_in";
export const SIGN_IN_TICKET_SECONDS = 5 * 60;

/** Carries the reason to the sign-in form (Auth.js passes only `code` through). */
class StaffSignInError extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

/**
 * Auth.js keeps a module-level flag that some instance in the process has an email provider (the
 * guests' magic link), and from then on refuses any instance without an adapter for it. Staff
 * sign-in never sends or uses email links: this adapter satisfies the check and refuses them.
 */
const noEmailLinks: Adapter = {
  async createVerificationToken() {
    throw new Error("Staff sign-in sends no email links");
  },
  async useVerificationToken() {
    return null;
  },
  async getUserByEmail() {
    return null;
  },
};

/**
 * Auth.js for staff: Credentials with signed-token sessions whose `sid` names a row in
 * auth_sessions, checked on every request, so sessions can be revoked and expire when idle.
 * The password is checked before (server/auth/sign-in.ts); `authorize` takes the ticket that
 * step issued, plus the second factor when the account has one.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => ({
  secret: authSecret(),
  logger: authLogger("staff", await authRequestId(request)),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  adapter: noEmailLinks,
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      id: "staff",
      // `next`: where the sign-in goes, so its events belong to that café (see signInTenant).
      credentials: { ticket: {}, code: {}, next: {} },
      async authorize(credentials, request) {
        const ticket = verifyToken<SignInTicket>(SIGN_IN_TICKET, String(credentials.ticket ?? ""));
        if (!ticket) throw new StaffSignInError("expired");
        const db = appDb();
        const ip = clientIp(request.headers);
        const inTenantId = await signInTenant(db, ticket.uid, String(credentials.next ?? ""));
        let mfa: MfaState = ticket.next === "enrol" ? "enrolment" : "none";
        if (ticket.next === "second_factor") {
          try {
            await checkSecondFactor(db, {
              userId: ticket.uid,
              code: String(credentials.code ?? ""),
              ip,
              inTenantId,
            });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            const retryAfter = (error.details as { retryAfter?: number } | undefined)?.retryAfter;
            throw new StaffSignInError(retryAfter ? `locked:${retryAfter}` : (error.reason ?? "invalid_code"));
          }
          mfa = "verified";
        }
        const sid = await createStaffSession(db, {
          userId: ticket.uid,
          mfa,
          ip,
          userAgent: request.headers.get("user-agent"),
        });
        await recordSecurityEvent(db, {
          action: "sign_in.succeeded",
          userId: ticket.uid,
          ip,
          meta: { mfa },
          inTenantId,
        });
        return { id: ticket.uid, sid };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.sid) {
        token.sid = user.sid;
        return token;
      }
      const sid = typeof token.sid === "string" ? token.sid : null;
      const session = sid ? await touchStaffSession(appDb(), sid) : null;
      // Returning null ends a revoked or idle session (the cookie is cleared).
      if (!session) return null;
      token.uid = session.userId;
      token.mfa = session.mfa;
      return token;
    },
    session({ session, token }) {
      if (typeof token.sid === "string" && typeof token.uid === "string") {
        session.staff = { userId: token.uid, sid: token.sid, mfa: token.mfa as MfaState };
      }
      return session;
    },
  },
}));

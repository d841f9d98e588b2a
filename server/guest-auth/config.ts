import NextAuth from "next-auth";
import Resend from "next-auth/providers/resend";
import { appDb } from "@/db/client";
import { authLogger, authRequestId } from "../auth/auth-logger";
import { sameSitePath } from "../auth/redirects";
import { sendEmail } from "../email/send";
import { renderEmail } from "../email/templates";
import { authSecret, publicUrl } from "../env";
import { isLocale, LOCALE_COOKIE, type Locale } from "../i18n/locales";
import { findTenantBySlug } from "../tenants/queries";
import { guestAccountsAdapter } from "./adapter";
import { checkedGuestToken, createGuestSession, endGuestSession, GUEST_SESSION_DAYS } from "./sessions";
import { mailedMagicLink } from "./sign-in";

/** How long a magic link works. */
export const MAGIC_LINK_MINUTES = 30;
export const GUEST_SESSION_COOKIE = "zerno-guest.session-token";

declare module "next-auth" {
  interface Session {
    guest?: { accountId: string; email: string; sid: string };
  }
}

const MAIL: Record<Locale, { subject: (cafe: string) => string; intro: (minutes: number) => string; action: string }> =
  {
    ru: {
      subject: (cafe) => `Вход в ${cafe}`,
      intro: (minutes) =>
        `Нажмите кнопку, чтобы войти и увидеть свои баллы и заказы.\n\nСсылка действует ${minutes} минут и срабатывает один раз. Если вы не просили вход, просто удалите это письмо.`,
      action: "Войти",
    },
    en: {
      subject: (cafe) => `Sign in to ${cafe}`,
      intro: (minutes) =>
        `Press the button to sign in and see your points and orders.\n\nThe link works for ${minutes} minutes and only once. If you did not ask to sign in, just delete this email.`,
      action: "Sign in",
    },
  };

function localeOf(request: Request): Locale {
  const cookie = request.headers.get("cookie") ?? "";
  const chosen = cookie.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]+)`))?.[1];
  return isLocale(chosen) ? chosen : "ru";
}

/**
 * Auth.js for guests, separate from the staff instance (its own path, cookies and identities):
 * the Resend email provider sends a magic link (through the platform's mail, so the dev outbox
 * catches it when no key is set); the session is a signed token naming the guest account.
 */
export const {
  handlers: guestAuthHandlers,
  auth: guestAuth,
  signIn: guestSignIn,
  signOut: guestSignOut,
} = NextAuth(async (request) => ({
  secret: authSecret(),
  logger: authLogger("guest", await authRequestId(request)),
  trustHost: true,
  basePath: "/api/guest-auth",
  adapter: guestAccountsAdapter(appDb),
  // The cookie is a signed token naming a row of guest_sessions, checked on each request (one
  // primary-key lookup), so signing out and "sign out on all devices" end it on the server.
  session: { strategy: "jwt", maxAge: GUEST_SESSION_DAYS * 24 * 60 * 60 },
  cookies: {
    sessionToken: { name: GUEST_SESSION_COOKIE },
    csrfToken: { name: "zerno-guest.csrf-token" },
    callbackUrl: { name: "zerno-guest.callback-url" },
  },
  providers: [
    Resend({
      maxAge: MAGIC_LINK_MINUTES * 60,
      async sendVerificationRequest({ identifier, url: requestedUrl, request }) {
        // Auth.js builds the link from the request's Host (or X-Forwarded-Host): a forged header
        // would mail the guest a genuine-looking link to another site. Links go to PUBLIC_URL.
        // The way back is a path, so the link returns the guest to the café's page they came from.
        const { url, returnPath } = mailedMagicLink(requestedUrl, publicUrl());
        const slug = returnPath.split(/[/?#]/)[1] ?? "";
        const tenant = slug ? await findTenantBySlug(slug) : null;
        const locale = localeOf(request);
        const strings = MAIL[locale];
        const cafe = tenant?.name ?? "Zerno";
        const content = renderEmail({
          title: strings.subject(cafe),
          intro: strings.intro(MAGIC_LINK_MINUTES),
          action: { label: strings.action, url },
          locale,
        });
        await sendEmail(appDb(), { to: identifier, subject: strings.subject(cafe), context: tenant?.slug, ...content });
      },
    }),
  ],
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endGuestSession(appDb(), sid);
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id && user.email) {
        // The magic link was just used: a new session on the server, named in the cookie.
        token.gid = user.id;
        token.email = user.email;
        token.sid = await createGuestSession(appDb(), {
          accountId: user.id,
          userAgent: request?.headers.get("user-agent"),
        });
        return token;
      }
      // Returning null ends a session that was signed out elsewhere (the cookie is cleared).
      return checkedGuestToken(appDb(), token);
    },
    session({ session, token }) {
      if (typeof token.gid === "string" && typeof token.email === "string" && typeof token.sid === "string") {
        session.guest = { accountId: token.gid, email: token.email, sid: token.sid };
      }
      return session;
    },
    redirect({ url, baseUrl }) {
      // Only back into this site: a crafted callbackUrl must not send the guest elsewhere.
      if (url.startsWith("/")) {
        const path = sameSitePath(url);
        return path ? `${baseUrl}${path}` : baseUrl;
      }
      try {
        return new URL(url).origin === baseUrl ? url : baseUrl;
      } catch {
        return baseUrl;
      }
    },
  },
}));

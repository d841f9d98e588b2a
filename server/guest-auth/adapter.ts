import { and, eq, sql } from "drizzle-orm";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import type { Database } from "@/db/client";
import { authVerificationTokens, guestAccounts } from "@/db/schema";

/**
 * Magic-link tokens share `auth_verification_tokens` with staff password resets; the prefix keeps
 * the two apart, so a token of one kind can never be used up as the other.
 */
const TOKEN_PREFIX = "guest:";

type AccountRow = typeof guestAccounts.$inferSelect;

function toUser(row: AccountRow): AdapterUser {
  return { id: row.id, email: row.email, emailVerified: row.emailVerified };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The Auth.js adapter of the guest instance: just what the email provider with signed-token
 * sessions needs (accounts by email and id, verification tokens). Guests have no OAuth accounts
 * and no database sessions.
 */
export function guestAccountsAdapter(db: () => Database): Adapter {
  const byEmail = async (email: string) => {
    const [row] = await db()
      .select()
      .from(guestAccounts)
      .where(sql`lower(${guestAccounts.email}) = ${normaliseEmail(email)}`);
    return row ? toUser(row) : null;
  };
  return {
    async createUser(user) {
      // Two links opened at once for a new address: the second finds the first's account.
      const [row] = await db()
        .insert(guestAccounts)
        .values({ email: normaliseEmail(user.email), emailVerified: user.emailVerified })
        .onConflictDoNothing()
        .returning();
      if (row) return toUser(row);
      const existing = await byEmail(user.email);
      if (!existing) throw new Error("guest account vanished after a conflicting insert");
      return existing;
    },
    async getUser(id) {
      const [row] = await db().select().from(guestAccounts).where(eq(guestAccounts.id, id));
      return row ? toUser(row) : null;
    },
    getUserByEmail: byEmail,
    async getUserByAccount() {
      return null;
    },
    async updateUser(user) {
      const [row] = await db()
        .update(guestAccounts)
        .set({ emailVerified: user.emailVerified ?? null })
        .where(eq(guestAccounts.id, user.id))
        .returning();
      if (!row) throw new Error(`No guest account ${user.id}`);
      return toUser(row);
    },
    async linkAccount() {
      return undefined;
    },
    async createVerificationToken(token) {
      await db()
        .insert(authVerificationTokens)
        .values({
          identifier: TOKEN_PREFIX + normaliseEmail(token.identifier),
          token: token.token,
          expires: token.expires,
        });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      // Deleting is the use: a link opened twice (a mail scanner, then the guest) works once.
      const [row] = await db()
        .delete(authVerificationTokens)
        .where(
          and(
            eq(authVerificationTokens.identifier, TOKEN_PREFIX + normaliseEmail(identifier)),
            eq(authVerificationTokens.token, token),
          ),
        )
        .returning();
      return row ? { identifier, token: row.token, expires: row.expires } : null;
    },
  };
}

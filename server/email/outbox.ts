import { desc } from "drizzle-orm";
import { appDb, type Database } from "@/db/client";
import { emailOutbox } from "@/db/schema";

/** One stored email as the dev outbox page shows it. */
export type OutboxEmail = {
  id: string;
  context: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  provider: string;
  delivered: boolean;
  error: string | null;
  createdAt: Date;
};

/** The most recent emails of the platform, newest first. */
export async function listOutbox(db: Database, limit = 50): Promise<OutboxEmail[]> {
  return db
    .select({
      id: emailOutbox.id,
      context: emailOutbox.context,
      to: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      html: emailOutbox.html,
      text: emailOutbox.text,
      provider: emailOutbox.provider,
      delivered: emailOutbox.delivered,
      error: emailOutbox.error,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit);
}

/** listOutbox on the app's pool, for the dev outbox page. */
export function latestOutbox(limit: number): Promise<OutboxEmail[]> {
  return listOutbox(appDb(), limit);
}

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { testDatabase } from "@/db/testing/database";
import { claimJobRun } from "./jobs";

const db = await testDatabase();

describe("background jobs across app servers", () => {
  it("of four servers ticking at once, one runs the job; within the interval nobody runs it again", async () => {
    // Four servers: four pools of their own on the one database.
    const servers = Array.from({ length: 4 }, () => openDatabase(db.appUrl, { max: 2 }));
    try {
      const claims = await Promise.all(
        servers.map((server, i) => claimJobRun(server.db, "test job", 60_000, `server-${i}`)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const again = await Promise.all(servers.map((server) => claimJobRun(server.db, "test job", 60_000)));
      expect(again.filter(Boolean)).toHaveLength(0);
      // Once the interval has passed, the next tick (any server's) runs it again.
      await db.admin.execute(
        sql`update background_job_runs set last_started_at = now() - interval '61 seconds' where name = 'test job'`,
      );
      const later = await Promise.all(servers.map((server) => claimJobRun(server.db, "test job", 60_000)));
      expect(later.filter(Boolean)).toHaveLength(1);
      // Another job is claimed on its own.
      const [first] = servers;
      if (!first) throw new Error("no server");
      expect(await claimJobRun(first.db, "another job", 60_000)).toBe(true);
    } finally {
      await Promise.all(servers.map((server) => server.client.end()));
    }
  });
});

import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as guestExport from "@/app/[tenant]/me/export/route";
import * as staffExport from "@/app/dashboard/[tenant]/guests/export/route";
import { serverCaller } from "@/server/trpc/server-caller";

// The exports write audit entries: only a POST of this site's own form may start one. The caller
// (the procedures, their roles and their audit) is a spy here: what is tested is who gets that far.
const exportCsv = vi.fn(async () => "name\nАнна\n");
const exportData = vi.fn(async () => ({ exportedAt: "2026-05-01T10:00:00.000Z", profile: { name: "Анна" } }));
vi.mock("@/server/trpc/server-caller", () => ({
  serverCaller: vi.fn(async () => ({ guests: { exportCsv }, cabinet: { exportData } })),
}));
// The guard module loads Auth.js (not loadable outside Next): its one helper the route uses, as it is.
vi.mock("@/server/guest-auth/guard", () => ({
  guestSignInPath: (slug: string, path: string) => `/${slug}/sign-in?next=${encodeURIComponent(path)}`,
}));
vi.mock("@/server/tenants/queries", () => ({
  findTenantBySlug: vi.fn(async (slug: string) => (slug === "demo" ? { slug: "demo" } : null)),
}));

afterEach(() => vi.clearAllMocks());

const params = { params: Promise.resolve({ tenant: "demo" }) };
const post = (path: string, headers: Record<string, string>) =>
  new Request(`http://zerno.example${path}`, { method: "POST", headers });

const ROUTES = [
  { name: "guest list (back-office)", route: staffExport, path: "/dashboard/demo/guests/export", type: "text/csv" },
  { name: "my data (cabinet)", route: guestExport, path: "/demo/me/export", type: "application/json" },
];

describe.each(ROUTES)("the $name export", ({ route, path, type }) => {
  it("is no GET: a link cannot start it", () => {
    expect("GET" in route).toBe(false);
  });

  it("refuses a POST from another site with 403, before any export runs", async () => {
    for (const headers of [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { origin: "https://evil.example" },
      {},
    ] as Record<string, string>[]) {
      const response = await route.POST(post(path, headers), params);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect(serverCaller).not.toHaveBeenCalled();
  });

  it("answers this site's form with the file", async () => {
    const response = await route.POST(
      post(path, { "sec-fetch-site": "same-origin", origin: "http://zerno.example" }),
      params,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain(type);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="demo-/);
  });
});

it("sends a signed-out guest to sign in with a GET (303), not a repeated POST", async () => {
  exportData.mockRejectedValueOnce(new TRPCError({ code: "UNAUTHORIZED" }));
  const response = await guestExport.POST(post("/demo/me/export", { "sec-fetch-site": "same-origin" }), params);
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/demo/sign-in?next=%2Fdemo%2Fme%2Fprofile");
});

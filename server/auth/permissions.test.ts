import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLE_PERMISSIONS, requiresTwoFactor } from "./permissions";

describe("the permission table", () => {
  it("gives the owner every action", () => {
    for (const permission of PERMISSIONS) expect(can("owner", permission), permission).toBe(true);
  });

  it("keeps money, staff, keys, analytics and the guest export away from baristas", () => {
    const denied = PERMISSIONS.filter((permission) => !can("barista", permission));
    expect(denied).toEqual(
      expect.arrayContaining([
        "guests.export",
        "guests.read",
        "analytics.read",
        "staff.manage",
        "billing.manage",
        "pos_keys.manage",
        "audit.read",
      ]),
    );
    expect(PERMISSIONS.filter((permission) => can("barista", permission))).toEqual([
      "dashboard.view",
      "orders.board",
      "guests.lookup",
      "menu.stoplist",
    ]);
  });

  it("lets managers run menu, campaigns and guests but not staff, keys, audit or billing", () => {
    for (const permission of ["menu.manage", "campaigns.manage", "guests.read", "analytics.read"] as const) {
      expect(can("manager", permission)).toBe(true);
    }
    for (const permission of ["staff.manage", "pos_keys.manage", "audit.read", "billing.manage"] as const) {
      expect(can("manager", permission)).toBe(false);
    }
    // A manager limited to some locations reads those locations' figures (the dashboard scopes them).
    expect(can("manager", "analytics.read", true)).toBe(true);
    expect(can("barista", "analytics.read", true)).toBe(false);
  });

  it("lets every role keep the stop-list, but only owners and managers change what a location offers", () => {
    for (const role of ["owner", "manager", "barista"] as const) {
      expect(can(role, "menu.stoplist")).toBe(true);
      // A member limited to some locations keeps the stop-list (of those locations).
      expect(can(role, "menu.stoplist", true)).toBe(true);
    }
    expect(can("barista", "menu.manage")).toBe(false);
  });

  it("lets a manager limited to locations read, export and adjust guests (scoped to those locations), not import them", () => {
    for (const permission of ["guests.read", "guests.export", "guests.adjust_points"] as const) {
      expect(can("manager", permission, true)).toBe(true);
      expect(can("barista", permission, true)).toBe(false);
    }
    expect(can("manager", "guests.import", true)).toBe(false);
    // A campaign reaches the whole chain's guests: not for a member limited to some locations.
    expect(can("manager", "campaigns.manage", true)).toBe(false);
    // Phones and emails leave in an export only an owner makes.
    expect(can("manager", "guests.export_contacts")).toBe(false);
    expect(can("owner", "guests.export_contacts")).toBe(true);
  });

  it("lists only known roles for every action", () => {
    for (const roles of Object.values(ROLE_PERMISSIONS)) {
      for (const role of roles) expect(["owner", "manager", "barista"]).toContain(role);
    }
  });

  it("requires 2FA of owners and managers always, of baristas only when the café asks", () => {
    expect(requiresTwoFactor("owner", false)).toBe(true);
    expect(requiresTwoFactor("manager", false)).toBe(true);
    expect(requiresTwoFactor("barista", false)).toBe(false);
    expect(requiresTwoFactor("barista", true)).toBe(true);
  });
});

import type { Permission } from "@/server/auth/permissions";

/** The back-office sections and who sees them; the navigation shows only what `can` allows. */
export const DASHBOARD_SECTIONS = [
  { key: "orders", path: "/orders", permission: "orders.board" },
  { key: "overview", path: "", permission: "dashboard.view" },
  { key: "menu", path: "/menu", permission: "menu.stoplist" },
  { key: "menuEditor", path: "/menu/editor", permission: "menu.manage" },
  { key: "menuImport", path: "/menu/import", permission: "menu.manage" },
  { key: "guests", path: "/guests", permission: "guests.read" },
  { key: "guestLookup", path: "/guests/lookup", permission: "guests.lookup" },
  { key: "guestImport", path: "/guests/import", permission: "guests.import" },
  { key: "analytics", path: "/analytics", permission: "analytics.read" },
  { key: "integrations", path: "/integrations", permission: "pos_keys.manage" },
  { key: "offers", path: "/offers", permission: "offers.manage" },
  { key: "campaigns", path: "/campaigns", permission: "campaigns.manage" },
  { key: "roi", path: "/roi", permission: "analytics.read" },
  { key: "hints", path: "/hints", permission: "hint_rules.manage" },
  { key: "loyalty", path: "/loyalty", permission: "loyalty.configure" },
  { key: "locations", path: "/locations", permission: "locations.manage" },
  { key: "staff", path: "/staff", permission: "staff.manage" },
  { key: "audit", path: "/audit", permission: "audit.read" },
  { key: "dataExport", path: "/export", permission: "data.export" },
  { key: "billing", path: "/billing", permission: "billing.manage" },
] as const satisfies readonly { key: string; path: string; permission: Permission }[];

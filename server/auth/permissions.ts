/**
 * Permissions as data (one table, DESIGN.md): every back-office action and the roles that may
 * do it. Procedures ask `can`, pages hide what it denies; nothing compares roles elsewhere.
 */
export const ROLES = ["owner", "manager", "barista"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS = {
  "dashboard.view": ["owner", "manager", "barista"],
  "orders.board": ["owner", "manager", "barista"],
  /** Card or phone look-up at the counter: name, tier and balance only. */
  "guests.lookup": ["owner", "manager", "barista"],
  /** The guests table and guest cards (a member limited to locations: guests who visited them). */
  "guests.read": ["owner", "manager"],
  "guests.export": ["owner", "manager"],
  /** Phones and emails in a guest export (others get those columns empty), as in the café's full export. */
  "guests.export_contacts": ["owner"],
  /** Adding or taking a guest's points by hand, with a reason (audited). */
  "guests.adjust_points": ["owner", "manager"],
  /** Bringing guests and their points over from the café's former loyalty system (and undoing it). */
  "guests.import": ["owner", "manager"],
  /** Closing (and reopening) a guest's online access at the café; the card still works at the till. */
  "guests.block": ["owner", "manager"],
  /** The café's full export (every table); guests' personal fields only in an owner's. */
  "data.export": ["owner", "manager"],
  "analytics.read": ["owner", "manager"],
  /** The day's stop-list at the counter: "sold out today" for the member's locations. */
  "menu.stoplist": ["owner", "manager", "barista"],
  /** The menu itself, and which location offers which product. */
  "menu.manage": ["owner", "manager"],
  "campaigns.manage": ["owner", "manager"],
  /** Offers and promo codes: making them, giving them to guests and segments, pausing, archiving. */
  "offers.manage": ["owner", "manager"],
  "hint_rules.manage": ["owner", "manager"],
  "staff.manage": ["owner"],
  "audit.read": ["owner"],
  "pos_keys.manage": ["owner"],
  "billing.manage": ["owner"],
  /** Opening and archiving locations (each is billed). */
  "locations.manage": ["owner"],
  "loyalty.configure": ["owner"],
  /** Opening the café's storefront to guests (and the first-steps checklist that leads there). */
  "storefront.open": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLE_PERMISSIONS;

/**
 * Actions over the whole chain's guests or data. A member limited to some locations may not do
 * them (the analytics are split by location: such a member sees their locations' figures; the
 * guests table, cards and guest export show the guests who visited their locations).
 */
export const CHAIN_WIDE_PERMISSIONS: readonly Permission[] = [
  "guests.import",
  "guests.block",
  "data.export",
  // A campaign draws from (and previews for) any guest of the chain.
  "campaigns.manage",
];
export const PERMISSIONS = Object.keys(ROLE_PERMISSIONS) as Permission[];

export function can(role: Role, permission: Permission, limitedToLocations = false): boolean {
  if (limitedToLocations && CHAIN_WIDE_PERMISSIONS.includes(permission)) return false;
  return (ROLE_PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Owners and managers cannot use the back-office without 2FA; baristas when the owner requires it. */
export function requiresTwoFactor(role: Role, tenantRequiresBarista2fa: boolean): boolean {
  return role !== "barista" || tenantRequiresBarista2fa;
}

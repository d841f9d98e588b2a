import { z } from "zod";
import { DIRECTORY_SEGMENTS, type DirectoryFilters, GUEST_CHANNELS, GUEST_SORTS, type GuestSort } from "./directory";

/** The guests table's URL: what each query parameter is called (also the export form's fields). */
export type DirectoryParams = Record<string, string | string[] | undefined>;

export type DirectoryView = {
  filters: DirectoryFilters;
  /** A `tier` given by name (a link from the dashboard) rather than id, resolved by the page. */
  tierName?: string;
  sort: GuestSort;
  direction: "asc" | "desc";
  cursor?: string;
  backward: boolean;
  from?: string;
};

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
const pick = <T>(schema: z.ZodType<T>, value: string | undefined): T | undefined => {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};
const wholeNumber = z.coerce.number().int().min(0).max(1_000_000_000);
/** Money typed in major units ("1 500", "1500,50") to minor units. */
const majorUnits = z
  .string()
  .transform((text) => Number(text.replace(/\s/g, "").replace(",", ".")))
  .pipe(z.number().min(0).max(1e13))
  .transform((value) => Math.round(value * 100));

/**
 * The table's view from its URL. A value that does not parse is left out (an edited or stale
 * link shows more guests, never an error page).
 */
export function parseDirectoryParams(params: DirectoryParams): DirectoryView {
  const tier = one(params.tier);
  const tierId = pick(z.uuid(), tier);
  const marketing = one(params.marketing);
  const filters: DirectoryFilters = {
    q: pick(z.string().max(100), one(params.q)),
    segment: pick(z.enum(DIRECTORY_SEGMENTS), one(params.segment)),
    tierId,
    lastVisitFrom: pick(z.iso.date(), one(params.lastVisitFrom)),
    lastVisitTo: pick(z.iso.date(), one(params.lastVisitTo)),
    visitsMin: pick(wholeNumber, one(params.visitsMin)),
    visitsMax: pick(wholeNumber, one(params.visitsMax)),
    spendMin: pick(majorUnits, one(params.spendMin)),
    spendMax: pick(majorUnits, one(params.spendMax)),
    channel: pick(z.enum(GUEST_CHANNELS), one(params.channel)),
    locationId: pick(z.uuid(), one(params.location)),
    marketing: marketing === "yes" ? true : marketing === "no" ? false : undefined,
  };
  return {
    filters: Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as DirectoryFilters,
    tierName: tier && !tierId ? tier : undefined,
    sort: pick(z.enum(GUEST_SORTS), one(params.sort)) ?? "lastVisit",
    direction: one(params.dir) === "asc" ? "asc" : "desc",
    cursor: pick(z.string().max(400), one(params.cursor)),
    backward: one(params.back) === "1",
    from: pick(z.string().max(60), one(params.from)),
  };
}

/** The URL query of a view (filters, order, and where to start), for links and forms. */
export function directoryQuery(
  view: Pick<DirectoryView, "filters" | "sort" | "direction"> & { cursor?: string; backward?: boolean; from?: string },
): URLSearchParams {
  const query = new URLSearchParams();
  const f = view.filters;
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== "") query.set(name, String(value));
  };
  set("q", f.q);
  set("segment", f.segment);
  set("tier", f.tierId);
  set("lastVisitFrom", f.lastVisitFrom);
  set("lastVisitTo", f.lastVisitTo);
  set("visitsMin", f.visitsMin);
  set("visitsMax", f.visitsMax);
  set("spendMin", f.spendMin === undefined ? undefined : f.spendMin / 100);
  set("spendMax", f.spendMax === undefined ? undefined : f.spendMax / 100);
  set("channel", f.channel);
  set("location", f.locationId);
  set("marketing", f.marketing === undefined ? undefined : f.marketing ? "yes" : "no");
  if (view.sort !== "lastVisit") set("sort", view.sort);
  if (view.direction !== "desc") set("dir", view.direction);
  set("cursor", view.cursor);
  if (view.backward) set("back", "1");
  set("from", view.from);
  return query;
}

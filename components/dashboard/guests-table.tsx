"use client";

import {
  type ColumnDef,
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type VisibilityState,
} from "@tanstack/react-table";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { formats } from "@/server/format";
import type { GuestColumn, GuestRow, GuestSort } from "@/server/guests/directory";

const column = createColumnHelper<GuestRow>();

/**
 * The guests table: one server page at a time (keyset; sorting, filters and the page live in the
 * URL), the member's chosen columns visible. Sortable headers are links, so they work without
 * JavaScript and from the keyboard.
 */
export function GuestsTable({
  rows,
  visible,
  tiers,
  cafe,
  cardBase,
  sort,
  direction,
  sortHrefs,
  now,
}: {
  rows: GuestRow[];
  visible: GuestColumn[];
  tiers: Record<string, string>;
  cafe: { currency: string; locale: string; timezone: string };
  cardBase: string;
  sort: GuestSort;
  direction: "asc" | "desc";
  sortHrefs: Record<GuestSort, string>;
  /** The server's clock at render, so "days since" reads the same in the browser (no hydration mismatch). */
  now: number;
}) {
  const t = useTranslations("guestsInsight");
  const locale = useLocale();
  // The reader's language; the café's currency and time zone.
  const format = formats({ locale, currency: cafe.currency, timeZone: cafe.timezone });
  const money = format.money;
  const date = (iso: string | null) => (iso ? format.date(iso) : "—");
  const yesNo = (value: boolean) => (value ? t("yes") : t("no"));
  const daysSince = (iso: string | null) =>
    iso ? Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000)) : null;

  // biome-ignore lint/suspicious/noExplicitAny: a column list mixes value types (tanstack's own advice)
  const columns: ColumnDef<GuestRow, any>[] = [
    column.accessor("name", {
      id: "name",
      header: t("columns.name"),
      cell: (info) => (
        <Link href={`${cardBase}/${info.row.original.id}`} className="font-medium underline">
          {info.row.original.name ?? t("noName")}
          {info.row.original.blocked ? <span className="ml-1 text-xs text-red-800">({t("blocked")})</span> : null}
        </Link>
      ),
    }),
    column.accessor("phone", { id: "phone", header: t("columns.phone"), cell: (info) => info.getValue() ?? "—" }),
    column.accessor("email", { id: "email", header: t("columns.email"), cell: (info) => info.getValue() ?? "—" }),
    column.accessor("cardCode", { id: "card", header: t("columns.card") }),
    column.accessor("tierId", { id: "tier", header: t("columns.tier"), cell: (info) => tiers[info.getValue()] ?? "—" }),
    column.accessor("balance", {
      id: "balance",
      header: t("columns.balance"),
      cell: (info) => format.points(info.getValue()),
    }),
    column.accessor("visits", {
      id: "visits",
      header: t("columns.visits"),
      cell: (info) => format.number(info.getValue()),
    }),
    column.accessor("lastVisitAt", {
      id: "lastVisit",
      header: t("columns.lastVisit"),
      cell: (info) => date(info.getValue()),
    }),
    column.accessor("spend", { id: "spend", header: t("columns.spend"), cell: (info) => money(info.getValue()) }),
    column.display({
      id: "averageCheck",
      header: t("columns.averageCheck"),
      cell: (info) =>
        info.row.original.visits > 0 ? money(Math.round(info.row.original.spend / info.row.original.visits)) : "—",
    }),
    column.accessor("segment", {
      id: "segment",
      header: t("columns.segment"),
      cell: (info) => {
        const segment = info.getValue();
        const key = `segments.${segment}` as "segments.new";
        return segment && t.has(key) ? t(key) : "—";
      },
    }),
    column.accessor("pActive", {
      id: "pActive",
      header: t("columns.pActive"),
      cell: (info) => {
        const value = info.getValue();
        return value === null ? "—" : format.percent(value);
      },
    }),
    column.display({
      id: "rhythm",
      header: t("columns.rhythm"),
      cell: (info) => {
        const { lastVisitAt, medianGapDays } = info.row.original;
        const since = daysSince(lastVisitAt);
        if (since === null) return "—";
        const usual = medianGapDays === null ? null : Math.round(medianGapDays);
        const overdue = usual !== null && usual > 0 && since >= 2 * usual;
        return (
          <span className={overdue ? "font-semibold text-red-800" : undefined}>
            {usual === null ? t("rhythmSince", { days: since }) : t("rhythmGap", { days: since, usual })}
          </span>
        );
      },
    }),
    column.accessor("favouriteName", {
      id: "favourite",
      header: t("columns.favourite"),
      cell: (info) => info.getValue() ?? "—",
    }),
    column.display({
      id: "channel",
      header: t("columns.channel"),
      cell: (info) => `${info.row.original.posVisits} / ${info.row.original.onlineVisits}`,
    }),
    column.accessor("marketingOptIn", {
      id: "marketing",
      header: t("columns.marketing"),
      cell: (info) => yesNo(info.getValue()),
    }),
    column.accessor("birthday", {
      id: "birthday",
      header: t("columns.birthday"),
      cell: (info) => info.getValue() ?? "—",
    }),
    column.accessor("enrolledAt", {
      id: "enrolled",
      header: t("columns.enrolled"),
      cell: (info) => date(info.getValue()),
    }),
  ];

  const columnVisibility: VisibilityState = Object.fromEntries(
    columns.map((definition) => [definition.id, visible.includes(definition.id as GuestColumn)]),
  );
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    state: { columnVisibility },
  });
  const sortable = (id: string): id is GuestSort => id in sortHrefs;
  const sortName = visible.includes(sort as GuestColumn) || sort in sortHrefs ? t(`columns.${sort}`) : sort;

  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">
          {t("caption", { column: sortName, direction: direction === "asc" ? t("ascending") : t("descending") })}
        </caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const id = header.column.id;
                const active = sortable(id) && id === sort;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}
                    className="border-b border-espresso/20 px-2 py-2 text-left whitespace-nowrap"
                  >
                    {sortable(id) ? (
                      <Link
                        href={sortHrefs[id]}
                        className="underline decoration-dotted"
                        aria-label={t("sortBy", { column: t(`columns.${id}`) })}
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        {active ? <span aria-hidden="true">{direction === "asc" ? " ↑" : " ↓"}</span> : null}
                      </Link>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              className="odd:bg-crema/50"
              data-testid="guest-row"
              data-days-since={daysSince(row.original.lastVisitAt) ?? undefined}
              data-usual-gap={row.original.medianGapDays ?? undefined}
              data-favourite={row.original.favouriteName ?? undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-2 py-1 align-top">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="mt-3">{t("empty")}</p> : null}
    </div>
  );
}

"use client";

import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";

export type AuditTableRow = {
  id: string;
  createdAt: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ip: string | null;
};

const column = createColumnHelper<AuditTableRow>();

/** The audit trail, one server page at a time (pagination and filters live in the URL). */
export function AuditTable({
  rows,
  total,
  page,
  pageSize,
  pageHref,
}: {
  rows: AuditTableRow[];
  total: number;
  page: number;
  pageSize: number;
  pageHref: Record<"previous" | "next", string>;
}) {
  const t = useTranslations("audit");
  const columns = [
    column.accessor("createdAt", { header: t("when") }),
    column.accessor("actorEmail", { header: t("who"), cell: (info) => info.getValue() ?? "—" }),
    column.accessor("action", {
      header: t("what"),
      cell: (info) => {
        const action = info.getValue();
        const named = t.has(`actions.${action}`);
        return (
          <>
            {named ? t(`actions.${action}`) : action}
            {named ? <code className="block text-xs text-espresso/80">{action}</code> : null}
          </>
        );
      },
    }),
    column.accessor("target", { header: t("target"), cell: (info) => info.getValue() ?? "—" }),
    column.accessor("ip", { header: t("ip"), cell: (info) => info.getValue() ?? "—" }),
  ];
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    rowCount: total,
  });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="mt-4">
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">{t("caption")}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="border-b border-espresso/20 px-2 py-2 text-left">
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="odd:bg-crema/50">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-2 py-1 align-top">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p className="mt-3">{t("empty")}</p> : null}
      <nav aria-label={t("pagination")} className="mt-4 flex items-center gap-4">
        {page > 0 ? (
          <Link href={pageHref.previous} className="underline">
            {t("previous")}
          </Link>
        ) : null}
        <span>{t("pageOf", { page: page + 1, pages, total })}</span>
        {page + 1 < pages ? (
          <Link href={pageHref.next} className="underline">
            {t("next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

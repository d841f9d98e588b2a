import { getTranslations } from "next-intl/server";
import { OrderBoard } from "@/components/dashboard/order-board";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("orders");

export const dynamic = "force-dynamic";

/** The live order board (owner, manager, barista): today's orders of the member's locations by status. */
export default async function OrdersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "orders.board", `/dashboard/${slug}/orders`);
  const t = await getTranslations("board");
  const view = await (await serverCaller(slug)).orders.board();
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <OrderBoard tenant={slug} view={view} currency={staff.tenant.currency} />
    </>
  );
}

"use server";

import { TRPCError } from "@trpc/server";
import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { GUEST_COLUMNS, type GuestColumn } from "@/server/guests/directory";
import { serverCaller } from "@/server/trpc/server-caller";

/** Keeps the member's choice of columns for the guests table (none ticked keeps the former choice). */
export async function saveColumnsAction(tenant: string, form: FormData): Promise<void> {
  requireText(tenant);
  requireForm(form);
  const columns = form
    .getAll("columns")
    .map(String)
    .filter((column): column is GuestColumn => (GUEST_COLUMNS as readonly string[]).includes(column));
  try {
    await (await serverCaller(tenant)).guests.saveColumns({ columns });
  } catch (error) {
    // Nothing ticked (BAD_REQUEST), or a read-only café: the table keeps the columns it had.
    if (!(error instanceof TRPCError) || (error.code !== "BAD_REQUEST" && error.code !== "PAYMENT_REQUIRED"))
      throw error;
  }
  revalidatePath(`/dashboard/${tenant}/guests`);
}

"use server";

import { revalidatePath } from "next/cache";
import { requireText } from "@/server/action-args";
import { actionErrorNamingField, failedField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/** What an editor action answers: the saved row's id, or a reason and the field it is about. */
export type MenuActionResult = { ok?: true; id?: string; error?: string; field?: string };

type Caller = Awaited<ReturnType<typeof serverCaller>>;

/**
 * Runs one menu procedure for the editor; the procedure validates and checks who may. The
 * answer names the refused field (`variants.1.price`), so the form can mark it.
 */
async function run(tenant: string, work: (caller: Caller) => Promise<unknown>): Promise<MenuActionResult> {
  try {
    const answer = await work(await serverCaller(tenant));
    revalidatePath(`/dashboard/${tenant}/menu`, "layout");
    const id = (answer as { id?: unknown } | undefined)?.id;
    return typeof id === "string" ? { ok: true, id } : { ok: true };
  } catch (error) {
    const { error: reason } = actionErrorNamingField(error);
    return { error: reason, field: failedField(error) };
  }
}

type Input<K extends keyof Caller["menu"]> = Parameters<Caller["menu"][K]>[0];

export async function saveCategoryAction(tenant: string, input: Input<"saveCategory">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.saveCategory(input));
}
export async function moveCategoryAction(tenant: string, input: Input<"moveCategory">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.moveCategory(input));
}
export async function setCategoryArchivedAction(tenant: string, input: Input<"setCategoryArchived">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.setCategoryArchived(input));
}
export async function saveProductAction(tenant: string, input: Input<"saveProduct">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.saveProduct(input));
}
export async function setProductArchivedAction(tenant: string, input: Input<"setProductArchived">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.setProductArchived(input));
}
export async function deleteProductAction(tenant: string, input: Input<"deleteProduct">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.deleteProduct(input));
}
export async function removeProductPhotoAction(tenant: string, productId: string) {
  requireText(tenant);
  requireText(productId);
  return run(tenant, (caller) => caller.menu.setProductPhoto({ productId, photoKey: null }));
}
export async function saveModifierGroupAction(tenant: string, input: Input<"saveModifierGroup">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.saveModifierGroup(input));
}
export async function setModifierGroupArchivedAction(tenant: string, input: Input<"setModifierGroupArchived">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.setModifierGroupArchived(input));
}
export async function setLocationPriceAction(tenant: string, input: Input<"setLocationPrice">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.setLocationPrice(input));
}
export async function setOptionSoldOutAction(tenant: string, input: Input<"setOptionSoldOut">) {
  requireText(tenant);
  return run(tenant, (caller) => caller.menu.setOptionSoldOut(input));
}

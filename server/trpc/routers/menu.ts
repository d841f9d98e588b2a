import { z } from "zod";
import { can } from "@/server/auth/permissions";
import {
  deleteProduct,
  menuEditorView,
  moveCategory,
  saveCategory,
  saveModifierGroup,
  saveProduct,
  setCategoryArchived,
  setLocationPrice,
  setModifierGroupArchived,
  setOptionSoldOut,
  setProductArchived,
  setProductPhoto,
} from "@/server/menu/editor";
import {
  applyMenuImport,
  dryRunMenuImport,
  listMenuImports,
  MAX_IMPORT_BYTES,
  undoMenuImport,
} from "@/server/menu/import";
import {
  type StopListLocation,
  type StopListOptionGroup,
  setAvailable,
  setSoldOut,
  stopList,
} from "@/server/menu/stoplist";
import { router, staffProcedure } from "../init";

export type StopListView = {
  locations: StopListLocation[];
  /** Modifier options (oat milk), for their own stop-list per location. */
  optionGroups: StopListOptionGroup[];
  /** Whether the caller may also change which location offers what ("menu.manage"). */
  canManage: boolean;
};

const toggle = z.object({ locationId: z.uuid(), productId: z.uuid() });
const name = z.string().trim().min(1).max(120);
const text = (max: number) => z.string().trim().max(max);
const translations = z
  .object({
    ru: z.object({ name: text(120).optional(), description: text(1000).optional() }).optional(),
    en: z.object({ name: text(120).optional(), description: text(1000).optional() }).optional(),
  })
  .optional();
const money = z.number().int().min(0).max(100_000_000);
const archive = z.object({ id: z.uuid(), archived: z.boolean() });
/** A menu file: its name and bytes (base64); menus are small, the server refuses more than 1 MB. */
const menuFile = z.object({
  fileName: z.string().trim().min(1).max(200),
  contentBase64: z
    .string()
    .max(Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
const fileBytes = (input: { contentBase64: string }) => Buffer.from(input.contentBase64, "base64");

/** The back-office menu: the day's stop-list per location, and what each location offers. */
export const menuRouter = router({
  /** The stop-list of the caller's locations (a member limited to some sees only theirs). */
  stopList: staffProcedure("menu.stoplist").query(async ({ ctx }): Promise<StopListView> => {
    const limited = ctx.staff.locationIds;
    const { locations, optionGroups } = await stopList(ctx.tx, { locationIds: limited });
    return { locations, optionGroups, canManage: can(ctx.staff.role, "menu.manage", limited.length > 0) };
  }),

  /** A modifier option sold out today at a location (oat milk ran out), or back; as setSoldOut. */
  setOptionSoldOut: staffProcedure("menu.stoplist")
    .input(z.object({ locationId: z.uuid(), optionId: z.uuid(), soldOut: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setOptionSoldOut(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  /** The whole menu as the editor shows it: categories, products with sizes, groups, locations. */
  editor: staffProcedure("menu.manage").query(({ ctx }) => menuEditorView(ctx.tx)),

  /** Creates (no id) or renames a category. */
  saveCategory: staffProcedure("menu.manage")
    .input(z.object({ id: z.uuid().optional(), name, translations }))
    .mutation(({ ctx, input }) =>
      saveCategory(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  /** One place up or down: the keyboard's way to order categories. */
  moveCategory: staffProcedure("menu.manage")
    .input(z.object({ id: z.uuid(), direction: z.enum(["up", "down"]) }))
    .mutation(({ ctx, input }) =>
      moveCategory(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  setCategoryArchived: staffProcedure("menu.manage")
    .input(archive)
    .mutation(({ ctx, input }) =>
      setCategoryArchived(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  /** Creates (no id) or updates a product with its sizes and modifier groups. */
  saveProduct: staffProcedure("menu.manage")
    .input(
      z.object({
        id: z.uuid().optional(),
        categoryId: z.uuid(),
        sku: z.string().trim().min(1).max(64),
        name,
        translations,
        description: text(1000).optional(),
        price: money,
        prepMinutes: z.number().int().min(0).max(240),
        vatRate: z.number().int().min(0).max(100).nullable(),
        variants: z
          .array(
            z.object({
              id: z.uuid().optional(),
              name,
              translations,
              sku: z.string().trim().max(64).nullable().optional(),
              price: money,
              prepMinutesDelta: z.number().int().min(-60).max(60).optional(),
            }),
          )
          .max(250)
          .default([]),
        groupIds: z.array(z.uuid()).max(30).default([]),
      }),
    )
    .mutation(({ ctx, input }) =>
      saveProduct(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  setProductArchived: staffProcedure("menu.manage")
    .input(archive)
    .mutation(({ ctx, input }) =>
      setProductArchived(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  /** Deletes a product nothing names yet; one an order or receipt names is refused (archive it). */
  deleteProduct: staffProcedure("menu.manage")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await deleteProduct(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) });
      return { ok: true };
    }),

  /** Points a product at a photo already stored (the upload route stores it), or removes it. */
  setProductPhoto: staffProcedure("menu.manage")
    .input(
      z.object({
        productId: z.uuid(),
        photoKey: z
          .string()
          .regex(/^[0-9a-f]{40}$/)
          .nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await setProductPhoto(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) });
      return { ok: true };
    }),

  /** Creates (no id) or updates a modifier group with its options. */
  saveModifierGroup: staffProcedure("menu.manage")
    .input(
      z.object({
        id: z.uuid().optional(),
        name,
        translations,
        minSelect: z.number().int().min(0).max(50),
        maxSelect: z.number().int().min(1).max(50),
        maxPerOption: z.number().int().min(1).max(10),
        options: z
          .array(
            z.object({
              id: z.uuid().optional(),
              name,
              translations,
              priceDelta: z.number().int().min(-100_000_000).max(100_000_000),
              prepMinutesDelta: z.number().int().min(-60).max(60).optional(),
              isDefault: z.boolean().optional(),
            }),
          )
          .min(1)
          .max(50),
      }),
    )
    .mutation(({ ctx, input }) =>
      saveModifierGroup(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  setModifierGroupArchived: staffProcedure("menu.manage")
    .input(archive)
    .mutation(({ ctx, input }) =>
      setModifierGroupArchived(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),

  /** A location's own price of a product or of one size ("" for the product); null removes it. */
  setLocationPrice: staffProcedure("menu.manage")
    .input(
      z.object({
        locationId: z.uuid(),
        productId: z.uuid(),
        variantSlug: z.string().max(64).default(""),
        price: money.nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await setLocationPrice(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) });
      return { ok: true };
    }),

  /** The dry run of a menu file: what each row would do, and why. Changes nothing. */
  importDryRun: staffProcedure("menu.manage")
    .input(menuFile.extend({ defaultCategory: name }))
    .mutation(({ ctx, input }) =>
      dryRunMenuImport(ctx.tx, {
        fileName: input.fileName,
        bytes: fileBytes(input),
        currency: ctx.staff.tenant.currency,
        defaultCategory: input.defaultCategory,
      }),
    ),

  /** Applies a menu file as one undoable batch (rows with errors skipped, as the dry run said). */
  importApply: staffProcedure("menu.manage")
    .input(menuFile.extend({ defaultCategory: name }))
    .mutation(({ ctx, input }) =>
      applyMenuImport(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        fileName: input.fileName,
        bytes: fileBytes(input),
        currency: ctx.staff.tenant.currency,
        defaultCategory: input.defaultCategory,
        actor: actorOf(ctx),
      }),
    ),

  /** The café's menu imports, newest first. */
  imports: staffProcedure("menu.manage").query(({ ctx }) => listMenuImports(ctx.tx)),

  /** Undoes the newest import batch as a whole (archiving what orders already name). */
  undoImport: staffProcedure("menu.manage")
    .input(z.object({ batchId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      undoMenuImport(ctx.tx, { tenantId: ctx.staff.tenant.id, batchId: input.batchId, actor: actorOf(ctx) }),
    ),

  /**
   * "Sold out today" at a location (its own today), or back on sale. Another café's ids, or a
   * location the caller is not assigned to, are NOT_FOUND.
   */
  setSoldOut: staffProcedure("menu.stoplist")
    .input(toggle.extend({ soldOut: z.boolean() }))
    .mutation(({ ctx, input }) => setSoldOut(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) })),

  /** Whether a location offers a product at all (owner, manager); NOT_FOUND as for setSoldOut. */
  setAvailable: staffProcedure("menu.manage")
    .input(toggle.extend({ available: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setAvailable(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),
});

function actorOf(ctx: { staff: { session: { userId: string }; locationIds: string[] }; ip: string | null }) {
  return { userId: ctx.staff.session.userId, locationIds: ctx.staff.locationIds, ip: ctx.ip };
}

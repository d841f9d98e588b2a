/**
 * The menu files Zerno reads, as data: which header names (compared case- and space-blind) feed
 * which field, how rows group into one product, and what tells the format apart. A new
 * till's export is one more entry here.
 */
export type ImportField =
  | "group"
  | "category"
  | "sku"
  | "name"
  | "nameEn"
  | "description"
  | "descriptionEn"
  | "variant"
  | "variantSku"
  | "price"
  | "prepMinutes"
  | "vatRate";

export type ImportFormat = {
  id: "zerno" | "loyverse" | "square";
  /** Columns whose presence (all of them) names the format. */
  signature: string[];
  /** Header names of each field, first match wins. */
  columns: Partial<Record<ImportField, string[]>>;
  /** Fields every row must have. */
  required: ImportField[];
  /**
   * How rows become one product: by the template's SKU, Loyverse's Handle, or Square's item name
   * (each row then is one size, when the product has more than one).
   */
  groupBy: ImportField;
  /** Size names that mean "no sizes" when they are an item's only one (Square's "Regular"). */
  singleVariantNames: string[];
};

export const IMPORT_FORMATS: ImportFormat[] = [
  {
    id: "zerno",
    signature: ["sku", "name", "price"],
    columns: {
      group: ["sku"],
      category: ["category"],
      sku: ["sku"],
      name: ["name"],
      nameEn: ["name_en"],
      description: ["description"],
      descriptionEn: ["description_en"],
      variant: ["size"],
      variantSku: ["size_sku"],
      price: ["price"],
      prepMinutes: ["prep_minutes"],
      vatRate: ["vat_rate"],
    },
    required: ["sku", "name", "price"],
    groupBy: "group",
    singleVariantNames: [],
  },
  {
    // Loyverse "Export items": one row per variant, rows of one item share its Handle.
    id: "loyverse",
    signature: ["handle", "name", "default price"],
    columns: {
      group: ["handle"],
      category: ["category"],
      sku: ["sku"],
      name: ["name"],
      description: ["description"],
      variant: ["option 1 value"],
      variantSku: ["sku"],
      price: ["default price"],
    },
    // Item fields are written on an item's first row only: the item is checked, not each row.
    required: [],
    groupBy: "group",
    singleVariantNames: [""],
  },
  {
    // Square "Export library": one row per variation, rows of one item share its Item Name.
    id: "square",
    signature: ["item name", "variation name", "price"],
    columns: {
      group: ["item name"],
      category: ["categories", "reporting category", "category"],
      sku: ["sku"],
      name: ["item name"],
      description: ["description"],
      variant: ["variation name"],
      variantSku: ["sku"],
      price: ["price"],
    },
    required: [],
    groupBy: "group",
    singleVariantNames: ["", "regular", "обычный"],
  },
];

/** The header of the documented template, in order (README, "Menu import"). */
export const TEMPLATE_HEADER = [
  "category",
  "sku",
  "name",
  "name_en",
  "description",
  "description_en",
  "size",
  "size_sku",
  "price",
  "prep_minutes",
  "vat_rate",
];

export const normalizeHeader = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

/** The format a header names, or null (the report then lists what each format expects). */
export function detectFormat(header: string[]): ImportFormat | null {
  const names = new Set(header.map(normalizeHeader));
  return IMPORT_FORMATS.find((format) => format.signature.every((column) => names.has(column))) ?? null;
}

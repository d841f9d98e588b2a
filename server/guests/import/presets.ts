/**
 * Column presets for the guest files of the systems cafés leave, as data: for each field, the
 * header names that system's export is known (or, where `source` says so, guessed) to use. The
 * README lists them; a file whose columns differ is mapped by hand on the page and may be saved.
 */
export const IMPORT_FIELDS = [
  "phone",
  "card",
  "email",
  "name",
  "firstName",
  "lastName",
  "birthday",
  "balance",
  "tier",
  "lifetimeSpent",
  "marketing",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → column index (0-based) in the file's header. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export type Preset = {
  id: PresetId;
  /** Where the header names come from: the vendor's documentation, or our best guess at its export. */
  source: "ours" | "documented" | "guessed";
  columns: Partial<Record<ImportField, readonly string[]>>;
};

export const PRESET_IDS = ["generic", "uds", "premium_bonus", "iiko_card", "loyverse", "square"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export const PRESETS: Record<PresetId, Preset> = {
  generic: {
    id: "generic",
    source: "ours",
    columns: {
      phone: ["phone", "телефон", "мобильный телефон", "номер телефона", "mobile", "phone number"],
      card: ["card", "card number", "карта", "номер карты"],
      email: ["email", "e-mail", "почта", "электронная почта"],
      name: ["name", "имя", "фио"],
      birthday: ["birthday", "дата рождения", "день рождения"],
      balance: ["balance", "points", "баллы", "баланс", "бонусы"],
      tier: ["tier", "level", "уровень"],
      lifetimeSpent: ["lifetime spent", "total spent", "сумма покупок"],
      marketing: ["marketing", "рассылка", "согласие на рассылку"],
    },
  },
  uds: {
    id: "uds",
    source: "guessed",
    columns: {
      phone: ["телефон", "номер телефона", "phone"],
      card: ["uid", "код клиента", "id клиента"],
      email: ["email", "e-mail"],
      name: ["имя", "клиент", "фио"],
      birthday: ["дата рождения", "день рождения"],
      balance: ["баллы", "баланс баллов", "бонусные баллы"],
      tier: ["статус", "уровень"],
      lifetimeSpent: ["сумма покупок", "оборот"],
      marketing: ["согласие на рассылку", "рассылка"],
    },
  },
  premium_bonus: {
    id: "premium_bonus",
    source: "guessed",
    columns: {
      phone: ["номер телефона", "телефон"],
      card: ["номер карты", "карта"],
      email: ["e-mail", "email", "электронная почта"],
      name: ["фио", "имя"],
      birthday: ["дата рождения"],
      balance: ["баланс", "бонусный баланс", "доступно бонусов"],
      tier: ["группа", "уровень"],
      lifetimeSpent: ["сумма покупок", "сумма продаж"],
      marketing: ["согласие на рассылку", "подписка на рассылку"],
    },
  },
  iiko_card: {
    id: "iiko_card",
    source: "guessed",
    columns: {
      phone: ["телефон", "номер телефона"],
      card: ["номер карты", "карта", "трек карты"],
      email: ["email", "e-mail"],
      name: ["фио", "имя гостя", "имя"],
      birthday: ["день рождения", "дата рождения"],
      balance: ["бонусный баланс", "баланс", "бонусы"],
      tier: ["категория", "категория гостя"],
      lifetimeSpent: ["сумма заказов", "сумма покупок"],
      marketing: ["согласие на рассылку", "получает рассылки"],
    },
  },
  loyverse: {
    id: "loyverse",
    source: "guessed",
    columns: {
      name: ["customer name", "name"],
      email: ["email"],
      phone: ["phone"],
      card: ["customer code"],
      balance: ["points balance"],
      lifetimeSpent: ["total spent"],
    },
  },
  square: {
    id: "square",
    source: "documented",
    columns: {
      firstName: ["first name"],
      lastName: ["last name"],
      email: ["email address"],
      phone: ["phone number"],
      birthday: ["birthday"],
      card: ["reference id"],
      marketing: ["email subscription status"],
      lifetimeSpent: ["lifetime spend"],
      // Square's customer directory export carries no loyalty balance we know of: a points column
      // added to the file (or Square Loyalty's own) is picked up under these names.
      balance: ["points", "points balance", "loyalty points"],
    },
  },
};

/** A header cell as presets spell it: lower case, single spaces, «ё» as «е». */
export function headerKey(cell: string): string {
  return cell.trim().toLowerCase().replaceAll("ё", "е").replace(/\s+/g, " ");
}

/** The preset's mapping of this header: each field to the first column bearing one of its names. */
export function presetMapping(presetId: PresetId, header: readonly string[]): ColumnMapping {
  const keys = header.map(headerKey);
  const mapping: ColumnMapping = {};
  const taken = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    for (const name of PRESETS[presetId].columns[field] ?? []) {
      const index = keys.findIndex((key, at) => key === name && !taken.has(at));
      if (index >= 0) {
        mapping[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  return mapping;
}

/**
 * The preset that names most of the header's columns: a vendor's over the generic one on a tie
 * (its names are the more specific), the first vendor in PRESET_IDS among vendors that tie.
 */
export function guessPreset(header: readonly string[]): PresetId {
  const score = (id: PresetId) => Object.keys(presetMapping(id, header)).length;
  let vendor: PresetId = "generic";
  let vendorScore = 0;
  for (const id of PRESET_IDS) {
    if (id !== "generic" && score(id) > vendorScore) {
      vendor = id;
      vendorScore = score(id);
    }
  }
  return vendorScore > 0 && vendorScore >= score("generic") ? vendor : "generic";
}

/** A saved mapping (field → header name) applied to a header: the columns of the same names. */
export function mappingByNames(columns: Record<string, string>, header: readonly string[]): ColumnMapping {
  const keys = header.map(headerKey);
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const name = columns[field];
    if (!name) continue;
    const index = keys.indexOf(headerKey(name));
    if (index >= 0) mapping[field] = index;
  }
  return mapping;
}

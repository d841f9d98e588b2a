/**
 * Demo data: «Зерно», a Moscow coffee chain with two cafés and ~90 days of history (tenant `demo`),
 * and «North Roast», a one-café tenant in Hamburg (tenant `north`) that proves the isolation.
 *
 * One generator serves both: a tenant is described by a `TenantSpec` (menu, people, habits), the
 * history is simulated in memory with a seeded PRNG (the same story every run, relative to `now`),
 * then the loyalty book walks every check in time order with the formulas of POS-API.md, and the
 * rows are bulk-inserted in one transaction per tenant. A tenant that already exists is skipped.
 */
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import { authenticator } from "otplib";
import { hashPassword } from "../server/auth/password";
import { encryptSecret } from "../server/auth/secrets";
import { payloadHash } from "../server/loyalty/canonical";
import { paidMoney, pointsEarned, redeemCap, refundPoints, type Tier, tierFor } from "../server/loyalty/formulas";
import { localParts } from "../server/orders/slots";
import { createTenant, DEFAULT_OPENING_HOURS, type NewLocation, type NewTenant } from "../server/tenants/create";
import type { Database, Tx } from "./client";
import {
  type CampaignSegment,
  campaigns,
  guestConsents,
  guests,
  hintRules,
  ledgerEntries,
  loyaltyPrograms,
  membershipLocations,
  memberships,
  menuCategories,
  modifierGroups,
  modifierOptions,
  productAvailability,
  productModifierGroups,
  products,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  subscriptions,
  surveyQuestions,
  surveys,
  tenants,
  users,
} from "./schema";
import type { OpeningHours } from "./schema/tenancy";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** The one password of every demo staff account. */
export const DEMO_PASSWORD = "zerno-demo-2026";

/** Fixed TOTP secrets (base32, 160 bits) of the demo tenant's owner and manager, keyed by role. */
export const DEMO_TOTP_SECRETS = {
  owner: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
  manager: "CFCCU6J6LR4XSUS7L5AG22RKFZWCQSZB",
} as const;

/** The TOTP secret of north's owner (a different person, so a different secret). */
export const NORTH_TOTP_SECRET = "KEGWA4ZONUJQUVCFEIBACXI7BVIWSIZH";

export type SeedResult = { tenants: { slug: string; created: boolean }[] };

/**
 * Creates the demo tenants that do not exist yet, one transaction each; an existing slug is left
 * untouched, so running it again is a no-op. `now` anchors the simulated history (default: now).
 */
export async function seed(db: Database, options: { now?: Date } = {}): Promise<SeedResult> {
  const now = options.now ?? new Date();
  // argon2id is deliberately slow: hash once, and only if some tenant is actually created.
  const passwordHash = once(() => hashPassword(DEMO_PASSWORD));
  const result: SeedResult = { tenants: [] };
  for (const spec of TENANT_SPECS) {
    const created = await db.transaction(async (tx) => {
      if (await tenantExists(tx, spec.tenant.slug)) return false;
      await seedTenant(tx, spec, now, await passwordHash());
      return true;
    });
    result.tenants.push({ slug: spec.tenant.slug, created });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Tenant specs: everything that differs between the demo tenants
// ---------------------------------------------------------------------------------------------

type StaffRole = "owner" | "manager" | "barista";

type StaffSpec = {
  email: string;
  name: string;
  role: StaffRole;
  /** Location slugs the member is limited to; none means all. */
  locations?: string[];
  totpSecret?: string;
};

type LocationSpec = NewLocation & {
  /** Prefix of the POS's check numbers at this café, e.g. `T` → `T-000123`. */
  checkPrefix: string;
  /** Fiscal drive (ФН, 16 digits) of the café's till; absent where checks are not fiscalised. */
  fiscalDrive?: string;
  /** Relative number of guests who call this café home. */
  footfall: number;
};

/** What a category is for, which decides when guests order from it. */
type CategoryKind = "drink" | "breakfast" | "dessert";

type ModifierOptionSpec = {
  slug: string;
  name: string;
  priceDelta: number;
  prepMinutesDelta?: number;
  isDefault?: boolean;
  /** Seeding only: how often guests pick this option within its group. */
  popularity?: number;
};

type ModifierGroupSpec = {
  slug: string;
  name: string;
  minSelect: number;
  maxSelect: number;
  /** Seeding only: share of orders that touch an optional group (a required one is always chosen). */
  uptake?: number;
  options: ModifierOptionSpec[];
};

type ProductSpec = {
  sku: string;
  name: string;
  description: string;
  /** Minor units. */
  price: number;
  prepMinutes: number;
  dailyLimit?: number;
  /** Modifier group slugs, in display order. */
  modifiers?: string[];
  /** Location slugs where the product is not sold. */
  unavailableAt?: string[];
  /** Seeding only: relative popularity within its kind. */
  popularity: number;
};

type CategorySpec = { slug: string; name: string; kind: CategoryKind; products: ProductSpec[] };

type NameBook = {
  female: string[];
  male: string[];
  surnames: string[];
  /** The surname as a woman bears it (Russian surnames agree in gender). */
  feminine: (surname: string) => string;
};

/** How the tenant's guests behave; shares are of all guests, rates per guest. */
type AudienceSpec = {
  guests: number;
  names: NameBook;
  /** E.164 prefix and the number of random digits after it. */
  phone: { prefix: string; digits: number };
  regularShare: number;
  sleepingShare: number;
  /** Signed up online and never came (yet). */
  neverVisitedShare: number;
  regularVisitsPerWeek: [number, number];
  occasionalEveryDays: [number, number];
  /** Share of all checks with no guest attached. */
  anonymousShare: number;
  /** Chance that a guest with redeemable points pays part of a check with them. */
  redemptionChance: number;
  refunds: number;
  emailShare: number;
  birthdayShare: number;
  marketingShare: number;
  onlineSignUpShare: number;
};

type EngagementSpec = {
  hint: { ifSku: string; suggestSku: string; text: string };
  survey: {
    title: string;
    afterVisits: number;
    questions: { text: string; kind: "rating" | "choice" | "text"; options?: string[] }[];
  };
  campaign: {
    name: string;
    kind: "win_back";
    segment: CampaignSegment;
    subject: string;
    body: string;
    bonusPoints: number;
  };
};

type TenantSpec = {
  tenant: Omit<NewTenant, "locations"> & { locations: LocationSpec[] };
  /** Overrides of the loyalty program createTenant sets up with its defaults. */
  program?: { welcomeBonus?: number; maxRedeemPercent?: number };
  staff: StaffSpec[];
  menu: { modifierGroups: ModifierGroupSpec[]; categories: CategorySpec[] };
  audience: AudienceSpec;
  engagement: EngagementSpec;
};

/** Opening hours with one span on weekdays and another on weekends. */
function weekHours(weekdays: [string, string], weekend: [string, string]): OpeningHours {
  return {
    "1": [weekdays],
    "2": [weekdays],
    "3": [weekdays],
    "4": [weekdays],
    "5": [weekdays],
    "6": [weekend],
    "7": [weekend],
  };
}

/** Habits shared by both demo tenants; each spec overrides what differs. */
const TYPICAL_HABITS = {
  regularShare: 0.2,
  sleepingShare: 0.15,
  neverVisitedShare: 0.02,
  regularVisitsPerWeek: [3, 6],
  occasionalEveryDays: [5, 16],
  anonymousShare: 0.25,
  redemptionChance: 0.11,
  refunds: 10,
  emailShare: 0.45,
  birthdayShare: 0.7,
  marketingShare: 0.6,
  onlineSignUpShare: 0.15,
} satisfies Partial<AudienceSpec>;

const RUSSIAN_NAMES: NameBook = {
  female: words(`
    Анна Мария Елена Ольга Наталья Екатерина Татьяна Ирина Светлана Юлия Анастасия Дарья Ксения Полина
    Алина Виктория Софья Александра Вероника Марина Кристина Евгения Валерия Алёна Людмила Надежда Варвара Милана`),
  male: words(`
    Александр Дмитрий Максим Сергей Андрей Алексей Иван Артём Михаил Никита Илья Кирилл Егор Павел
    Роман Владимир Денис Евгений Николай Антон Григорий Тимур Олег Константин Фёдор Глеб Марк Лев`),
  surnames: words(`
    Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев
    Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев
    Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Белов Медведев Тарасов Жуков
    Комаров Беляев Богданов Крылов Калинин Воронин Голубев Цветков Островский Вишневский Савицкий`),
  feminine: (surname) => (surname.endsWith("ский") ? `${surname.slice(0, -2)}ая` : `${surname}а`),
};

const ENGLISH_NAMES: NameBook = {
  female: words("Emma Olivia Mia Hannah Leonie Sophie Clara Lena Marie Ida Freya"),
  male: words("Liam Noah Lukas Felix Jonas Ben Paul Finn Elias Oskar Henry"),
  surnames: words("Schmidt Fischer Weber Becker Hoffmann Koch Richter Brown Taylor Jensen"),
  feminine: (surname) => surname,
};

const DEMO_SPEC: TenantSpec = {
  tenant: {
    slug: "demo",
    name: "Зерно",
    currency: "RUB",
    timezone: "Europe/Moscow",
    locale: "ru",
    locations: [
      {
        slug: "tverskaya",
        name: "Зерно на Тверской",
        address: "Москва, ул. Тверская, 12",
        openingHours: weekHours(["07:30", "22:00"], ["09:00", "22:00"]),
        checkPrefix: "T",
        fiscalDrive: "7380440700031287",
        footfall: 6,
      },
      {
        slug: "arbat",
        name: "Зерно на Арбате",
        address: "Москва, ул. Арбат, 24",
        openingHours: weekHours(["07:30", "22:00"], ["09:00", "22:00"]),
        checkPrefix: "A",
        fiscalDrive: "7380440700058814",
        footfall: 4,
      },
    ],
  },
  staff: [
    {
      email: "owner@demo.zerno.local",
      name: "Ольга Зернова",
      role: "owner",
      totpSecret: DEMO_TOTP_SECRETS.owner,
    },
    {
      email: "manager@demo.zerno.local",
      name: "Игорь Белов",
      role: "manager",
      locations: ["tverskaya"],
      totpSecret: DEMO_TOTP_SECRETS.manager,
    },
    { email: "barista@demo.zerno.local", name: "Даша Котова", role: "barista", locations: ["tverskaya"] },
  ],
  menu: {
    modifierGroups: [
      {
        slug: "size",
        name: "Объём",
        minSelect: 1,
        maxSelect: 1,
        options: [
          { slug: "s", name: "S 250 мл", priceDelta: 0, isDefault: true, popularity: 35 },
          { slug: "m", name: "M 350 мл", priceDelta: 5_000, popularity: 45 },
          { slug: "l", name: "L 450 мл", priceDelta: 10_000, prepMinutesDelta: 1, popularity: 20 },
        ],
      },
      {
        slug: "milk",
        name: "Молоко",
        minSelect: 0,
        maxSelect: 1,
        uptake: 0.25,
        options: [
          { slug: "regular", name: "Обычное молоко", priceDelta: 0, isDefault: true, popularity: 0 },
          { slug: "oat", name: "Овсяное молоко", priceDelta: 6_000, popularity: 6 },
          { slug: "almond", name: "Миндальное молоко", priceDelta: 7_000, popularity: 2 },
          { slug: "coconut", name: "Кокосовое молоко", priceDelta: 7_000, popularity: 2 },
          { slug: "lactose-free", name: "Безлактозное молоко", priceDelta: 4_000, popularity: 3 },
        ],
      },
      {
        slug: "syrup",
        name: "Сироп",
        minSelect: 0,
        maxSelect: 2,
        uptake: 0.15,
        options: [
          { slug: "vanilla", name: "Сироп ваниль", priceDelta: 4_000, popularity: 4 },
          { slug: "caramel", name: "Сироп карамель", priceDelta: 4_000, popularity: 3 },
          { slug: "hazelnut", name: "Сироп лесной орех", priceDelta: 4_000, popularity: 2 },
          { slug: "salted-caramel", name: "Сироп солёная карамель", priceDelta: 4_000, popularity: 3 },
        ],
      },
      {
        slug: "extra-shot",
        name: "Крепость",
        minSelect: 0,
        maxSelect: 1,
        uptake: 0.07,
        options: [{ slug: "shot", name: "Дополнительный шот эспрессо", priceDelta: 6_000, popularity: 1 }],
      },
    ],
    categories: [
      {
        slug: "espresso",
        name: "Эспрессо-напитки",
        kind: "drink",
        products: [
          {
            sku: "espresso",
            name: "Эспрессо",
            description: "Двойной шот на смеси Бразилии и Колумбии: шоколад, фундук, долгое послевкусие.",
            price: 16_000,
            prepMinutes: 2,
            popularity: 4,
          },
          {
            sku: "americano",
            name: "Американо",
            description: "Эспрессо, раскрытый горячей водой. Мягкий и без горечи.",
            price: 22_000,
            prepMinutes: 2,
            modifiers: ["size", "syrup", "extra-shot"],
            popularity: 7,
          },
          {
            sku: "cappuccino",
            name: "Капучино",
            description: "Эспрессо и бархатное молоко с плотной пенкой.",
            price: 27_000,
            prepMinutes: 3,
            modifiers: ["size", "milk", "syrup", "extra-shot"],
            popularity: 12,
          },
          {
            sku: "latte",
            name: "Латте",
            description: "Больше молока, мягкий кофейный вкус.",
            price: 29_000,
            prepMinutes: 3,
            modifiers: ["size", "milk", "syrup", "extra-shot"],
            popularity: 10,
          },
          {
            sku: "flat-white",
            name: "Флэт уайт",
            description: "Двойной ристретто и тонкий слой молока — для тех, кто любит покрепче.",
            price: 31_000,
            prepMinutes: 3,
            modifiers: ["milk", "extra-shot"],
            popularity: 8,
          },
          {
            sku: "raf",
            name: "Раф ванильный",
            description: "Эспрессо, сливки и ванильный сахар, взбитые паром. Московская классика.",
            price: 34_000,
            prepMinutes: 4,
            modifiers: ["size", "milk", "syrup"],
            popularity: 6,
          },
          {
            sku: "mochaccino",
            name: "Моккачино",
            description: "Эспрессо, молоко и бельгийский шоколад.",
            price: 33_000,
            prepMinutes: 4,
            modifiers: ["size", "milk", "syrup", "extra-shot"],
            popularity: 3,
          },
          {
            sku: "cortado",
            name: "Кортадо",
            description: "Эспрессо пополам с горячим молоком, 120 мл.",
            price: 23_000,
            prepMinutes: 2,
            modifiers: ["milk", "extra-shot"],
            popularity: 3,
          },
        ],
      },
      {
        slug: "filter",
        name: "Фильтр-кофе",
        kind: "drink",
        products: [
          {
            sku: "filter-ethiopia",
            name: "V60 Эфиопия Иргачеффе",
            description: "Ручная заварка. Бергамот, жасмин и персик; светлая обжарка.",
            price: 33_000,
            prepMinutes: 5,
            popularity: 3,
          },
          {
            sku: "filter-kenya",
            name: "V60 Кения Ньери",
            description: "Чёрная смородина, грейпфрут и яркая кислотность.",
            price: 35_000,
            prepMinutes: 5,
            unavailableAt: ["arbat"],
            popularity: 2,
          },
          {
            sku: "filter-colombia",
            name: "V60 Колумбия Уила",
            description: "Карамель, красное яблоко, молочный шоколад.",
            price: 30_000,
            prepMinutes: 5,
            popularity: 2,
          },
          {
            sku: "aeropress",
            name: "Аэропресс",
            description: "Плотная чашка зерна недели, заваренная в аэропрессе.",
            price: 30_000,
            prepMinutes: 4,
            popularity: 2,
          },
          {
            sku: "cold-brew",
            name: "Колд брю",
            description: "Настаивается 18 часов в холоде. Подаём со льдом.",
            price: 29_000,
            prepMinutes: 1,
            popularity: 3,
          },
        ],
      },
      {
        slug: "tea",
        name: "Чай",
        kind: "drink",
        products: [
          {
            sku: "tea-assam",
            name: "Чёрный чай Ассам",
            description: "Крепкий индийский чай, чайник 400 мл.",
            price: 25_000,
            prepMinutes: 3,
            popularity: 2,
          },
          {
            sku: "tea-sencha",
            name: "Зелёный чай Сенча",
            description: "Японский зелёный чай с травянистой свежестью, чайник 400 мл.",
            price: 25_000,
            prepMinutes: 3,
            popularity: 1,
          },
          {
            sku: "tea-sea-buckthorn",
            name: "Облепиховый чай",
            description: "Облепиха, апельсин, мёд и бадьян. Согревает.",
            price: 32_000,
            prepMinutes: 4,
            popularity: 3,
          },
          {
            sku: "tea-altai",
            name: "Травяной чай «Алтай»",
            description: "Чабрец, мята, иван-чай и шиповник.",
            price: 27_000,
            prepMinutes: 3,
            popularity: 1,
          },
          {
            sku: "matcha-latte",
            name: "Матча латте",
            description: "Японская матча, взбитая с молоком.",
            price: 34_000,
            prepMinutes: 3,
            modifiers: ["milk", "syrup"],
            popularity: 3,
          },
        ],
      },
      {
        slug: "desserts",
        name: "Десерты",
        kind: "dessert",
        products: [
          {
            sku: "croissant",
            name: "Круассан",
            description: "Сливочный круассан из нашей пекарни, подаём тёплым.",
            price: 19_000,
            prepMinutes: 2,
            popularity: 7,
          },
          {
            sku: "almond-croissant",
            name: "Миндальный круассан",
            description: "С франжипаном и миндальными лепестками.",
            price: 26_000,
            prepMinutes: 2,
            popularity: 3,
          },
          {
            sku: "pistachio-croissant",
            name: "Круассан с фисташковым кремом",
            description: "Сезонная выпечка: фисташковый крем и хрустящее тесто. Печём ограниченную партию.",
            price: 32_000,
            prepMinutes: 2,
            dailyLimit: 15,
            popularity: 3,
          },
          {
            sku: "cinnabon",
            name: "Синнабон",
            description: "Булочка с корицей и сливочной глазурью.",
            price: 24_000,
            prepMinutes: 2,
            popularity: 4,
          },
          {
            sku: "cheesecake",
            name: "Чизкейк Нью-Йорк",
            description: "Сливочный чизкейк на песочной основе с ягодным соусом.",
            price: 35_000,
            prepMinutes: 1,
            popularity: 4,
          },
          {
            sku: "brownie",
            name: "Брауни",
            description: "Шоколадный брауни с грецким орехом.",
            price: 21_000,
            prepMinutes: 1,
            popularity: 3,
          },
          {
            sku: "carrot-cake",
            name: "Морковный торт",
            description: "С грецким орехом, корицей и крем-чизом.",
            price: 33_000,
            prepMinutes: 1,
            popularity: 2,
          },
          {
            sku: "medovik",
            name: "Медовик",
            description: "Домашний медовик со сметанным кремом, печём каждое утро.",
            price: 31_000,
            prepMinutes: 1,
            dailyLimit: 12,
            popularity: 2,
          },
        ],
      },
      {
        slug: "breakfast",
        name: "Завтраки",
        kind: "breakfast",
        products: [
          {
            sku: "syrniki",
            name: "Сырники",
            description: "Из фермерского творога, со сметаной и ягодным соусом.",
            price: 42_000,
            prepMinutes: 10,
            popularity: 5,
          },
          {
            sku: "omelette",
            name: "Омлет с сыром и зеленью",
            description: "Из трёх яиц, с тостом из чиабатты.",
            price: 39_000,
            prepMinutes: 8,
            popularity: 3,
          },
          {
            sku: "porridge",
            name: "Овсяная каша",
            description: "На молоке, с бананом, мёдом и орехами.",
            price: 29_000,
            prepMinutes: 6,
            popularity: 3,
          },
          {
            sku: "avocado-toast",
            name: "Авокадо-тост",
            description: "Цельнозерновой хлеб, авокадо, яйцо пашот и микрозелень.",
            price: 52_000,
            prepMinutes: 8,
            popularity: 3,
          },
          {
            sku: "granola",
            name: "Гранола с йогуртом",
            description: "Домашняя гранола, греческий йогурт и сезонные ягоды.",
            price: 38_000,
            prepMinutes: 3,
            popularity: 2,
          },
          {
            sku: "shakshuka",
            name: "Шакшука",
            description: "Яйца, томлённые в томатах с перцем, и хлеб к соусу.",
            price: 48_000,
            prepMinutes: 12,
            // The Arbat café has no full kitchen.
            unavailableAt: ["arbat"],
            popularity: 2,
          },
        ],
      },
    ],
  },
  audience: {
    ...TYPICAL_HABITS,
    guests: 330,
    names: RUSSIAN_NAMES,
    // Russian mobile numbers: +7 9XX XXX-XX-XX.
    phone: { prefix: "+79", digits: 9 },
  },
  engagement: {
    hint: {
      ifSku: "cappuccino",
      suggestSku: "filter-ethiopia",
      text: "Предложите новый сорт из Эфиопии (+50 ₽)",
    },
    survey: {
      title: "Как вам у нас?",
      afterVisits: 3,
      questions: [
        { text: "Оцените кофе сегодня", kind: "rating", options: ["1", "2", "3", "4", "5"] },
        {
          text: "Чего вам не хватает в меню?",
          kind: "choice",
          options: ["Больше десертов", "Веганские завтраки", "Новые сорта фильтра", "Всего хватает"],
        },
        { text: "Что нам сделать лучше?", kind: "text" },
      ],
    },
    campaign: {
      name: "Возвращаем спящих гостей",
      kind: "win_back",
      segment: { sleepingDays: 30, minVisits: 2 },
      subject: "Мы соскучились! Капучино за наш счёт",
      body: "Давно не виделись! Мы начислили вам 150 бонусов — этого хватит на капучино. Ждём вас в «Зерне» до конца месяца.",
      bonusPoints: 150,
    },
  },
};

const NORTH_SPEC: TenantSpec = {
  tenant: {
    slug: "north",
    name: "North Roast",
    currency: "EUR",
    timezone: "Europe/Berlin",
    locale: "en",
    locations: [
      {
        slug: "harbour",
        name: "North Roast Harbour",
        address: "Am Sandtorkai 30, 20457 Hamburg",
        openingHours: weekHours(["07:30", "18:00"], ["09:00", "17:00"]),
        checkPrefix: "H",
        footfall: 1,
      },
    ],
    // One point pays one euro, so the thresholds are in euros' worth of coffee, not roubles'.
    tiers: [
      { name: "Bronze", accrualPercent: 5, minSpend: 0 },
      { name: "Silver", accrualPercent: 7, minSpend: 10_000 },
      { name: "Gold", accrualPercent: 10, minSpend: 30_000 },
    ],
  },
  program: { welcomeBonus: 5 },
  staff: [{ email: "owner@north.zerno.local", name: "Maja Lindqvist", role: "owner", totpSecret: NORTH_TOTP_SECRET }],
  menu: {
    modifierGroups: [
      {
        slug: "size",
        name: "Size",
        minSelect: 1,
        maxSelect: 1,
        options: [
          { slug: "regular", name: "Regular", priceDelta: 0, isDefault: true, popularity: 7 },
          { slug: "large", name: "Large", priceDelta: 60, popularity: 3 },
        ],
      },
      {
        slug: "milk",
        name: "Milk",
        minSelect: 0,
        maxSelect: 1,
        uptake: 0.3,
        options: [
          { slug: "whole", name: "Whole milk", priceDelta: 0, isDefault: true, popularity: 0 },
          { slug: "oat", name: "Oat milk", priceDelta: 50, popularity: 3 },
          { slug: "almond", name: "Almond milk", priceDelta: 50, popularity: 1 },
        ],
      },
    ],
    categories: [
      {
        slug: "coffee",
        name: "Coffee",
        kind: "drink",
        products: [
          {
            sku: "espresso",
            name: "Espresso",
            description: "A double shot of our house blend.",
            price: 260,
            prepMinutes: 2,
            popularity: 3,
          },
          {
            sku: "flat-white",
            name: "Flat white",
            description: "Double ristretto with silky milk.",
            price: 390,
            prepMinutes: 3,
            modifiers: ["milk"],
            popularity: 6,
          },
          {
            sku: "cappuccino",
            name: "Cappuccino",
            description: "Espresso, steamed milk, a thick layer of foam.",
            price: 370,
            prepMinutes: 3,
            modifiers: ["size", "milk"],
            popularity: 5,
          },
          {
            sku: "latte",
            name: "Latte",
            description: "Mild and milky.",
            price: 410,
            prepMinutes: 3,
            modifiers: ["size", "milk"],
            popularity: 4,
          },
          {
            sku: "filter",
            name: "Filter of the day",
            description: "A rotating single origin, brewed by hand.",
            price: 340,
            prepMinutes: 4,
            popularity: 2,
          },
        ],
      },
      {
        slug: "bakery",
        name: "Bakery",
        kind: "dessert",
        products: [
          {
            sku: "cardamom-bun",
            name: "Cardamom bun",
            description: "Baked every morning; gone by the afternoon.",
            price: 320,
            prepMinutes: 1,
            dailyLimit: 30,
            popularity: 5,
          },
          {
            sku: "banana-bread",
            name: "Banana bread",
            description: "With walnuts and a pinch of sea salt.",
            price: 350,
            prepMinutes: 1,
            popularity: 3,
          },
        ],
      },
      {
        slug: "breakfast",
        name: "Breakfast",
        kind: "breakfast",
        products: [
          {
            sku: "avocado-toast",
            name: "Avocado on sourdough",
            description: "Smashed avocado, chilli flakes and a poached egg.",
            price: 890,
            prepMinutes: 7,
            popularity: 3,
          },
        ],
      },
    ],
  },
  audience: {
    ...TYPICAL_HABITS,
    guests: 20,
    names: ENGLISH_NAMES,
    // German mobile numbers: +49 15X XXXXXXXX.
    phone: { prefix: "+4915", digits: 9 },
    regularShare: 0.1,
    regularVisitsPerWeek: [1, 2],
    occasionalEveryDays: [20, 40],
    refunds: 2,
  },
  engagement: {
    hint: { ifSku: "flat-white", suggestSku: "cardamom-bun", text: "Offer a fresh cardamom bun with it" },
    survey: {
      title: "How was your visit?",
      afterVisits: 3,
      questions: [
        { text: "Rate today's coffee", kind: "rating", options: ["1", "2", "3", "4", "5"] },
        { text: "What should we add?", kind: "choice", options: ["Vegan pastries", "Decaf", "Nothing, all good"] },
        { text: "Anything we could do better?", kind: "text" },
      ],
    },
    campaign: {
      name: "Win back quiet regulars",
      kind: "win_back",
      segment: { sleepingDays: 30 },
      subject: "We miss you — your next flat white is on us",
      body: "It has been a while! We added 4 points to your card, enough for a flat white. See you at the harbour.",
      bonusPoints: 4,
    },
  },
};

const TENANT_SPECS: readonly TenantSpec[] = [DEMO_SPEC, NORTH_SPEC];

/** The demo tenant's staff accounts (all with DEMO_PASSWORD; owner and manager with TOTP). */
export const DEMO_STAFF: readonly { email: string; role: StaffRole }[] = DEMO_SPEC.staff.map(({ email, role }) => ({
  email,
  role,
}));

// ---------------------------------------------------------------------------------------------
// Writing one tenant
// ---------------------------------------------------------------------------------------------

const HISTORY_DAYS = 90;
const CONSENT_TEXT_VERSION = "2026-01";
// Well under PostgreSQL's 65 535 bind parameters per statement for the widest table (receipts).
const INSERT_CHUNK = 1000;

type Program = { welcomeBonus: number; maxRedeemPercent: number; holdTtlSeconds: number };
type LocationRef = { id: string; spec: LocationSpec };

async function tenantExists(tx: Tx, slug: string): Promise<boolean> {
  const rows = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return rows.length > 0;
}

async function seedTenant(tx: Tx, spec: TenantSpec, now: Date, passwordHash: string): Promise<void> {
  // createTenant binds the transaction to the new tenant (RLS), so every insert below passes.
  const created = await createTenant(tx, spec.tenant);
  const tenantId = created.tenant.id;
  const locations = spec.tenant.locations.map((location) => ({
    id: must(created.locations.find((row) => row.slug === location.slug)).id,
    spec: location,
  }));
  const program = await configureProgram(tx, tenantId, spec.program);
  await insertStaff(tx, tenantId, spec.staff, locations, passwordHash, now);
  const menu = await insertMenu(tx, tenantId, spec.menu, locations);
  const history = simulateHistory({ spec, now, tenantId, locations, tiers: created.tiers, program, menu });
  await insertHistory(tx, history);
  await insertEngagement(tx, tenantId, spec.engagement);
  await activateSubscription(tx, tenantId, now);
}

/** The demo tenants are paying customers: an active plan, whatever createTenant started them on. */
async function activateSubscription(tx: Tx, tenantId: string, now: Date): Promise<void> {
  const plan = {
    plan: "pro",
    status: "active" as const,
    trialEndsAt: null,
    currentPeriodEnd: addMinutes(now, 30 * 24 * 60),
  };
  await tx
    .insert(subscriptions)
    .values({ tenantId, ...plan })
    .onConflictDoUpdate({ target: subscriptions.tenantId, set: plan });
}

/** The program createTenant made, with the spec's overrides applied. */
async function configureProgram(tx: Tx, tenantId: string, overrides: TenantSpec["program"]): Promise<Program> {
  const where = eq(loyaltyPrograms.tenantId, tenantId);
  const [program] = overrides
    ? await tx.update(loyaltyPrograms).set(overrides).where(where).returning()
    : await tx.select().from(loyaltyPrograms).where(where);
  return must(program);
}

/** Staff users are platform rows shared across tenants: an existing email is reused as is. */
async function insertStaff(
  tx: Tx,
  tenantId: string,
  staff: StaffSpec[],
  locations: LocationRef[],
  passwordHash: string,
  now: Date,
): Promise<void> {
  const emails = staff.map((member) => member.email.toLowerCase());
  await tx
    .insert(users)
    .values(
      staff.map((member, index) => ({
        email: must(emails[index]),
        name: member.name,
        emailVerified: now,
        passwordHash,
        totpSecretEncrypted: member.totpSecret ? encryptSecret(member.totpSecret) : null,
        totpEnabledAt: member.totpSecret ? now : null,
      })),
    )
    .onConflictDoNothing();
  const userIds = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, emails))
    ).map((user) => [user.email.toLowerCase(), user.id]),
  );
  const membershipRows = staff.map((member, index) => ({
    tenantId,
    id: randomUUID(),
    userId: must(userIds.get(must(emails[index]))),
    role: member.role,
  }));
  await tx.insert(memberships).values(membershipRows);
  const limits = staff.flatMap((member, index) =>
    (member.locations ?? []).map((slug) => ({
      tenantId,
      membershipId: must(membershipRows[index]).id,
      locationId: must(locations.find((location) => location.spec.slug === slug)).id,
    })),
  );
  if (limits.length > 0) await tx.insert(membershipLocations).values(limits);
}

/** A product as the simulation sees it: its spec, its row id, its category and modifier groups. */
type MenuProduct = ProductSpec & {
  id: string;
  category: CategorySpec;
  groups: ModifierGroupSpec[];
};

async function insertMenu(
  tx: Tx,
  tenantId: string,
  menu: TenantSpec["menu"],
  locations: LocationRef[],
): Promise<MenuProduct[]> {
  const groupIds = new Map(menu.modifierGroups.map((group) => [group.slug, randomUUID()]));
  await tx.insert(modifierGroups).values(
    menu.modifierGroups.map((group, sortOrder) => ({
      tenantId,
      id: must(groupIds.get(group.slug)),
      slug: group.slug,
      name: group.name,
      minSelect: group.minSelect,
      maxSelect: group.maxSelect,
      sortOrder,
    })),
  );
  await tx.insert(modifierOptions).values(
    menu.modifierGroups.flatMap((group) =>
      group.options.map((option, sortOrder) => ({
        tenantId,
        groupId: must(groupIds.get(group.slug)),
        slug: option.slug,
        name: option.name,
        priceDelta: option.priceDelta,
        prepMinutesDelta: option.prepMinutesDelta ?? 0,
        isDefault: option.isDefault ?? false,
        sortOrder,
      })),
    ),
  );

  const categoryIds = menu.categories.map(() => randomUUID());
  await tx.insert(menuCategories).values(
    menu.categories.map((category, index) => ({
      tenantId,
      id: must(categoryIds[index]),
      slug: category.slug,
      name: category.name,
      sortOrder: index,
    })),
  );
  const catalogue: MenuProduct[] = menu.categories.flatMap((category) =>
    category.products.map((product) => ({
      ...product,
      id: randomUUID(),
      category,
      groups: (product.modifiers ?? []).map((slug) => must(menu.modifierGroups.find((group) => group.slug === slug))),
    })),
  );
  await tx.insert(products).values(
    catalogue.map((product, sortOrder) => ({
      tenantId,
      id: product.id,
      categoryId: must(categoryIds[menu.categories.indexOf(product.category)]),
      sku: product.sku,
      name: product.name,
      description: product.description,
      price: product.price,
      prepMinutes: product.prepMinutes,
      dailyLimit: product.dailyLimit ?? null,
      sortOrder,
    })),
  );
  const attachments = catalogue.flatMap((product) =>
    product.groups.map((group, sortOrder) => ({
      tenantId,
      productId: product.id,
      groupId: must(groupIds.get(group.slug)),
      sortOrder,
    })),
  );
  if (attachments.length > 0) await tx.insert(productModifierGroups).values(attachments);
  await tx.insert(productAvailability).values(
    locations.flatMap((location) =>
      catalogue.map((product) => ({
        tenantId,
        locationId: location.id,
        productId: product.id,
        available: !product.unavailableAt?.includes(location.spec.slug),
      })),
    ),
  );
  return catalogue;
}

/** In foreign-key order: guests before what points at them, the ledger last. */
async function insertHistory(tx: Tx, history: HistoryRows): Promise<void> {
  await insertInChunks(tx, guests, history.guests);
  await insertInChunks(tx, guestConsents, history.consents);
  await insertInChunks(tx, redemptions, history.redemptions);
  await insertInChunks(tx, receipts, history.receipts);
  await insertInChunks(tx, receiptLines, history.receiptLines);
  await insertInChunks(tx, refunds, history.refunds);
  // Ledger ids are an identity: insert in time order so that id order is history order.
  const ledger = [...history.ledger].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  await insertInChunks(tx, ledgerEntries, ledger);
}

async function insertEngagement(tx: Tx, tenantId: string, engagement: EngagementSpec): Promise<void> {
  await tx.insert(hintRules).values({ tenantId, ...engagement.hint });
  const surveyId = randomUUID();
  await tx.insert(surveys).values({
    tenantId,
    id: surveyId,
    title: engagement.survey.title,
    afterVisits: engagement.survey.afterVisits,
  });
  await tx.insert(surveyQuestions).values(
    engagement.survey.questions.map((question, sortOrder) => ({
      tenantId,
      surveyId,
      text: question.text,
      kind: question.kind,
      options: question.options ?? [],
      sortOrder,
    })),
  );
  await tx.insert(campaigns).values({ tenantId, status: "draft", ...engagement.campaign });
}

async function insertInChunks<T extends PgTable>(tx: Tx, table: T, rows: PgInsertValue<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await tx.insert(table).values(rows.slice(start, start + INSERT_CHUNK));
  }
}

// ---------------------------------------------------------------------------------------------
// Simulating the history (pure: no database, deterministic for a given `now`)
// ---------------------------------------------------------------------------------------------

type HistoryRows = {
  guests: (typeof guests.$inferInsert)[];
  consents: (typeof guestConsents.$inferInsert)[];
  redemptions: (typeof redemptions.$inferInsert)[];
  receipts: (typeof receipts.$inferInsert)[];
  receiptLines: (typeof receiptLines.$inferInsert)[];
  refunds: (typeof refunds.$inferInsert)[];
  ledger: (typeof ledgerEntries.$inferInsert)[];
};

type SimulationInput = {
  spec: TenantSpec;
  now: Date;
  tenantId: string;
  locations: LocationRef[];
  tiers: Tier[];
  program: Program;
  menu: MenuProduct[];
};

function simulateHistory(input: SimulationInput): HistoryRows {
  const { spec, now, locations, menu } = input;
  // Seeded by the slug: each tenant gets its own story, the same one on every run.
  const rng = new Random(hashString(spec.tenant.slug));
  const days = calendar(now, spec.tenant.timezone, HISTORY_DAYS);
  const stock = new DailyStock();
  const guestPlans = createGuests(rng, spec.audience, locations, menu, now).map((profile) =>
    planGuest(rng, profile, { days, now, locations, menu, stock, audience: spec.audience }),
  );
  const guestVisits = guestPlans.flatMap((plan) => plan.visits);
  const anonymousVisits = planAnonymousVisits(rng, guestVisits, spec.audience.anonymousShare, { now, menu, stock });
  const checks = numberChecks(rng, [...guestVisits, ...anonymousVisits]);
  const refundPlan = planRefunds(rng, checks, spec.audience.refunds, now);

  const book = new LoyaltyBook(input, rng);
  for (const plan of guestPlans) book.enrol(plan);
  for (const check of checks) {
    book.closeCheck(check);
    for (const refund of refundPlan.get(check) ?? []) book.refund(check, refund);
  }
  return book.finish();
}

// --- Guests ----------------------------------------------------------------------------------

type Persona = "regular" | "occasional" | "sleeping" | "never_visited";

type GuestProfile = {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  birthday: string | null;
  cardCode: string;
  qrSecret: string;
  marketingOptIn: boolean;
  signUp: "pos" | "online";
  persona: Persona;
  home: LocationRef;
  /** The drink a regular orders on most visits, modifiers included. */
  favourite: OrderLine | null;
  /** A regular's usual weekday time, minutes after midnight. */
  usualMinute: number;
};

function createGuests(rng: Random, audience: AudienceSpec, locations: LocationRef[], menu: MenuProduct[], now: Date) {
  const personas = assignPersonas(rng, audience);
  const identities = new IdentityFactory(rng, audience, now.getUTCFullYear());
  return personas.map((persona): GuestProfile => {
    const home = rng.weighted(locations, (location) => location.spec.footfall);
    const signUp = persona === "never_visited" || rng.chance(audience.onlineSignUpShare) ? "online" : "pos";
    const person = identities.next({ needsEmail: signUp === "online" });
    return {
      id: randomUUID(),
      ...person,
      // The QR code is a TOTP bound to the guest: a real secret, never derived from the seed.
      qrSecret: authenticator.generateSecret(20),
      marketingOptIn: rng.chance(audience.marketingShare),
      signUp,
      persona,
      home,
      favourite: persona === "regular" ? orderDrink(rng, pickDrink(rng, menuAt(menu, home))) : null,
      // Most regulars drop in before work, the rest at lunch.
      usualMinute: rng.chance(0.7) ? rng.int(8 * 60, 9 * 60 + 45) : rng.int(12 * 60 + 30, 14 * 60),
    };
  });
}

/** Exact persona counts (not per-guest coin flips), in shuffled order. */
function assignPersonas(rng: Random, audience: AudienceSpec): Persona[] {
  const count = (share: number) => Math.round(audience.guests * share);
  const regular = count(audience.regularShare);
  const sleeping = count(audience.sleepingShare);
  const neverVisited = count(audience.neverVisitedShare);
  const personas: Persona[] = [
    ...repeat<Persona>("regular", regular),
    ...repeat<Persona>("sleeping", sleeping),
    ...repeat<Persona>("never_visited", neverVisited),
    ...repeat<Persona>("occasional", audience.guests - regular - sleeping - neverVisited),
  ];
  return rng.shuffle(personas);
}

/** Names, phones, emails, birthdays and card codes, unique where the schema says so. */
class IdentityFactory {
  private readonly phones = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly cardCodes = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly audience: AudienceSpec,
    private readonly currentYear: number,
  ) {}

  next(options: { needsEmail: boolean }) {
    const { rng, audience } = this;
    const female = rng.chance(0.55);
    const first = rng.pick(female ? audience.names.female : audience.names.male);
    const surname = rng.pick(audience.names.surnames);
    const last = female ? audience.names.feminine(surname) : surname;
    const birthYear = this.currentYear - rng.int(18, 60);
    return {
      name: `${first} ${last}`,
      phone: this.unique(this.phones, () => audience.phone.prefix + rng.digits(audience.phone.digits)),
      email: options.needsEmail || rng.chance(audience.emailShare) ? this.email(first, last, birthYear) : null,
      birthday: rng.chance(audience.birthdayShare)
        ? isoDate(Date.UTC(birthYear, 0, 1) + rng.int(0, 364) * DAY_MS)
        : null,
      // 9 digits: never mistaken for a 10-digit national phone number at the till.
      cardCode: this.unique(this.cardCodes, () => String(rng.int(1, 9)) + rng.digits(8)),
    };
  }

  /** Addresses at reserved example domains, so a demo campaign can never mail a real person. */
  private email(first: string, last: string, birthYear: number): string {
    const local = this.rng.pick([
      `${ascii(first)}.${ascii(last)}`,
      `${ascii(first)}${birthYear % 100}`,
      `${ascii(first).slice(0, 1)}${ascii(last)}`,
    ]);
    const domain = this.rng.pick(["example.com", "example.org", "example.net"]);
    return this.unique(this.emails, (attempt) => `${local}${attempt === 0 ? "" : attempt + 1}@${domain}`);
  }

  private unique(taken: Set<string>, candidate: (attempt: number) => string): string {
    for (let attempt = 0; ; attempt++) {
      const value = candidate(attempt);
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
  }
}

// --- Visits ----------------------------------------------------------------------------------

type OrderLine = { product: MenuProduct; options: ModifierOptionSpec[]; quantity: number };

type Visit = {
  guest: GuestProfile | null;
  location: LocationRef;
  day: Day;
  at: Date;
  lines: OrderLine[];
};

type GuestPlan = { profile: GuestProfile; enrolledAt: Date; visits: Visit[] };

type PlanningContext = {
  days: Day[];
  now: Date;
  locations: LocationRef[];
  menu: MenuProduct[];
  stock: DailyStock;
  audience: AudienceSpec;
};

/** A guest's visits over the history, and when they joined (just before the first one at the till). */
function planGuest(rng: Random, profile: GuestProfile, context: PlanningContext): GuestPlan {
  const { days, now } = context;
  const window = activeWindow(rng, profile.persona);
  const chance = visitChance(rng, profile.persona, context.audience);
  const activeDays = days.filter((day) => day.daysAgo <= window.from && day.daysAgo >= window.until);
  const visits: Visit[] = [];
  for (const day of activeDays) {
    if (rng.chance(day.weekend ? chance.weekend : chance.weekday)) {
      const visit = planGuestVisit(rng, profile, day, context);
      if (visit) visits.push(visit);
    }
  }
  // Everyone but the never-visited came at least once: on the first day of their window that works.
  for (const day of visits.length === 0 ? activeDays : []) {
    const visit = planGuestVisit(rng, profile, day, context);
    if (visit) {
      visits.push(visit);
      break;
    }
  }
  const first = visits[0];
  const enrolledAt = first
    ? addMinutes(first.at, profile.signUp === "pos" ? -3 : -rng.int(60, 5 * 24 * 60))
    : addMinutes(now, -rng.int(60, HISTORY_DAYS * 24 * 60));
  return { profile, enrolledAt, visits };
}

/** The span of days (counted back from today) in which the guest comes at all. */
function activeWindow(rng: Random, persona: Persona): { from: number; until: number } {
  switch (persona) {
    case "regular":
      return { from: rng.int(HISTORY_DAYS - 15, HISTORY_DAYS), until: 0 };
    case "sleeping": {
      // Stopped coming more than 30 days ago: the win-back campaign's audience.
      const from = rng.int(45, HISTORY_DAYS);
      return { from, until: rng.int(31, from - 10) };
    }
    case "occasional":
      return { from: rng.int(1, HISTORY_DAYS), until: 0 };
    case "never_visited":
      return { from: -1, until: 0 };
  }
}

/** Daily visit probability: regulars come on workdays, occasional guests rather at weekends. */
function visitChance(rng: Random, persona: Persona, audience: AudienceSpec): { weekday: number; weekend: number } {
  if (persona === "regular") {
    const [fewest, most] = audience.regularVisitsPerWeek;
    // Five weekdays at p and two weekend days at p/2 make 6p visits a week.
    const perDay = Math.min(1, rng.int(fewest, most) / 6);
    return { weekday: perDay, weekend: perDay / 2 };
  }
  const [often, rarely] = audience.occasionalEveryDays;
  const perDay = (persona === "sleeping" ? 1.5 : 1) / rng.int(often, rarely);
  return { weekday: perDay, weekend: Math.min(1, perDay * 1.5) };
}

function planGuestVisit(rng: Random, profile: GuestProfile, day: Day, context: PlanningContext): Visit | null {
  const location = rng.chance(0.85) ? profile.home : rng.pick(context.locations);
  const hours = openingOn(location, day);
  if (!hours) return null;
  const minute =
    profile.persona === "regular" && !day.weekend
      ? clamp(profile.usualMinute + rng.int(-15, 15), hours.open, hours.lastOrder)
      : sampleMinute(rng, day, hours);
  const at = atMinute(day, minute);
  if (at >= context.now) return null;
  const lines = basket(rng, { location, day, minute, favourite: profile.favourite }, context);
  return lines.length > 0 ? { guest: profile, location, day, at, lines } : null;
}

/**
 * Walk-in guests without a card: per café and day, as many as keep their share of all checks,
 * at the usual times of day.
 */
function planAnonymousVisits(
  rng: Random,
  guestVisits: Visit[],
  anonymousShare: number,
  context: Pick<PlanningContext, "now" | "menu" | "stock">,
): Visit[] {
  const perCafeDay = new Map<string, { location: LocationRef; day: Day; count: number }>();
  for (const visit of guestVisits) {
    const key = `${visit.location.id}/${visit.day.key}`;
    const entry = perCafeDay.get(key) ?? { location: visit.location, day: visit.day, count: 0 };
    entry.count += 1;
    perCafeDay.set(key, entry);
  }
  const ratio = anonymousShare / (1 - anonymousShare);
  const visits: Visit[] = [];
  for (const { location, day, count } of perCafeDay.values()) {
    const hours = openingOn(location, day);
    if (!hours) continue;
    // Stochastic rounding keeps the expected share exact even on quiet days.
    const walkIns = Math.floor(count * ratio + rng.next());
    for (let i = 0; i < walkIns; i++) {
      const minute = sampleMinute(rng, day, hours);
      const at = atMinute(day, minute);
      if (at >= context.now) continue;
      const lines = basket(rng, { location, day, minute, favourite: null }, context);
      if (lines.length > 0) visits.push({ guest: null, location, day, at, lines });
    }
  }
  return visits;
}

/** Relative footfall by hour: a morning peak, a lunch bump and a quiet evening; weekends start later. */
const FOOTFALL_BY_HOUR: Record<"weekday" | "weekend", Record<number, number>> = {
  weekday: { 7: 3, 8: 10, 9: 9, 10: 5, 11: 3, 12: 5, 13: 6, 14: 3, 15: 3, 16: 3, 17: 4, 18: 3, 19: 2, 20: 1, 21: 1 },
  weekend: { 9: 3, 10: 6, 11: 8, 12: 8, 13: 7, 14: 6, 15: 5, 16: 5, 17: 4, 18: 3, 19: 2, 20: 1, 21: 1 },
};

function sampleMinute(rng: Random, day: Day, hours: CafeHours): number {
  const hourly = Object.entries(FOOTFALL_BY_HOUR[day.weekend ? "weekend" : "weekday"])
    .map(([hour, weight]) => ({ hour: Number(hour), weight }))
    .filter(({ hour }) => hour * 60 + 59 >= hours.open && hour * 60 <= hours.lastOrder);
  const { hour } = rng.weighted(hourly, (entry) => entry.weight);
  return clamp(hour * 60 + rng.int(0, 59), hours.open, hours.lastOrder);
}

type CafeHours = { open: number; lastOrder: number };

/** Opening hours of the café that day, in minutes; checks start a few minutes after opening. */
function openingOn(location: LocationRef, day: Day): CafeHours | null {
  const span = (location.spec.openingHours ?? DEFAULT_OPENING_HOURS)[day.isoWeekday][0];
  if (!span) return null;
  return { open: toMinutes(span[0]) + 3, lastOrder: toMinutes(span[1]) - 10 };
}

// --- Baskets ---------------------------------------------------------------------------------

type BasketContext = { location: LocationRef; day: Day; minute: number; favourite: OrderLine | null };

/** One check's lines: usually a drink, often food that fits the time of day; a friend's drink now and then. */
function basket(rng: Random, visit: BasketContext, context: Pick<PlanningContext, "menu" | "stock">): OrderLine[] {
  const menu = menuAt(context.menu, visit.location);
  const lines: OrderLine[] = [];
  const add = (line: OrderLine | null) => {
    if (line && context.stock.take(visit.location, visit.day, line.product, line.quantity)) lines.push(line);
  };
  if (rng.chance(0.95)) {
    const favouriteHere = visit.favourite && menu.includes(visit.favourite.product) ? visit.favourite : null;
    add(favouriteHere && rng.chance(0.8) ? favouriteHere : orderDrink(rng, pickDrink(rng, menu)));
  }
  if (rng.chance(0.12)) add(orderDrink(rng, pickDrink(rng, menu)));
  const morning = visit.minute < 11 * 60;
  const lunch = !morning && visit.minute < 15 * 60;
  if (rng.chance(morning ? 0.3 : lunch ? 0.2 : 0.05)) add(orderFood(rng, menu, "breakfast"));
  if (rng.chance(morning ? 0.2 : 0.3)) add(orderFood(rng, menu, "dessert"));
  return lines;
}

function menuAt(menu: MenuProduct[], location: LocationRef): MenuProduct[] {
  return menu.filter((product) => !product.unavailableAt?.includes(location.spec.slug));
}

function pickDrink(rng: Random, menu: MenuProduct[]): MenuProduct {
  return rng.weighted(
    menu.filter((product) => product.category.kind === "drink"),
    (product) => product.popularity,
  );
}

function orderFood(rng: Random, menu: MenuProduct[], kind: CategoryKind): OrderLine | null {
  const choices = menu.filter((product) => product.category.kind === kind);
  if (choices.length === 0) return null;
  const product = rng.weighted(choices, (item) => item.popularity);
  return { product, options: [], quantity: rng.chance(0.1) ? 2 : 1 };
}

/** A drink with its modifiers: a required group always gets an option, an optional one sometimes. */
function orderDrink(rng: Random, product: MenuProduct): OrderLine {
  const options = product.groups.flatMap((group): ModifierOptionSpec[] => {
    const popularity = (option: ModifierOptionSpec) => option.popularity ?? 1;
    if (group.minSelect > 0) return [rng.weighted(group.options, popularity)];
    if (!rng.chance(group.uptake ?? 0)) return [];
    const extras = group.options.filter((option) => !option.isDefault);
    const first = rng.weighted(extras, popularity);
    const others = extras.filter((option) => option !== first);
    // Now and then a second option where the group allows it (vanilla and caramel).
    return group.maxSelect > 1 && others.length > 0 && rng.chance(0.15) ? [first, rng.pick(others)] : [first];
  });
  return { product, options, quantity: 1 };
}

/** Portions sold per café and day, so products with a daily limit sell out instead of overselling. */
class DailyStock {
  private readonly sold = new Map<string, number>();

  take(location: LocationRef, day: Day, product: MenuProduct, quantity: number): boolean {
    if (product.dailyLimit === undefined) return true;
    const key = `${location.id}/${day.key}/${product.sku}`;
    const sold = this.sold.get(key) ?? 0;
    if (sold + quantity > product.dailyLimit) return false;
    this.sold.set(key, sold + quantity);
    return true;
  }
}

// --- Checks and refunds ----------------------------------------------------------------------

type ReceiptLine = { sku: string; name: string; quantity: number; unitPrice: number; amount: number; category: string };

type Check = Visit & {
  id: string;
  externalId: string;
  receiptLines: ReceiptLine[];
  total: number;
  fiscal: { fn: string; fd: string; fp: string } | null;
};

/** How far the fiscal drives' document counters already were when the history starts. */
const FIRST_FISCAL_DOCUMENT = 4_211;

/** In time order, each café numbers its checks (`T-000001`) and its fiscal documents. */
function numberChecks(rng: Random, visits: Visit[]): Check[] {
  // Stable sort with a stable tie-break: the fiscal signs below are drawn in this order.
  const sorted = [...visits].sort(
    (a, b) => time(a.at) - time(b.at) || a.location.spec.slug.localeCompare(b.location.spec.slug),
  );
  const counters = new Map<string, number>();
  return sorted.map((visit) => {
    const number = (counters.get(visit.location.id) ?? 0) + 1;
    counters.set(visit.location.id, number);
    const receiptLines = visit.lines.map(toReceiptLine);
    const drive = visit.location.spec.fiscalDrive;
    return {
      ...visit,
      id: randomUUID(),
      externalId: `${visit.location.spec.checkPrefix}-${String(number).padStart(6, "0")}`,
      receiptLines,
      total: sum(receiptLines.map((line) => line.amount)),
      fiscal: drive
        ? { fn: drive, fd: String(FIRST_FISCAL_DOCUMENT + number), fp: String(rng.int(1, 9)) + rng.digits(9) }
        : null,
    };
  });
}

/** The line as the POS sends it: the product's SKU, its modifiers spelled out in the name. */
function toReceiptLine(line: OrderLine): ReceiptLine {
  const unitPrice = line.product.price + sum(line.options.map((option) => option.priceDelta));
  return {
    sku: line.product.sku,
    name: [line.product.name, ...line.options.map((option) => option.name)].join(", "),
    quantity: line.quantity,
    unitPrice,
    amount: unitPrice * line.quantity,
    category: line.product.category.slug,
  };
}

type RefundPlan = { amount: number; at: Date };

/**
 * A few refunds of guests' checks, minutes after the check (a wrong order, a spilled cup): full
 * ones, one line of a check, and a check refunded in two parts. Never a guest's first check:
 * refunding it could leave the guest's lifetime paid money below zero.
 */
function planRefunds(rng: Random, checks: Check[], count: number, now: Date): Map<Check, RefundPlan[]> {
  const firstChecks = new Set<string>();
  const candidates = checks.filter((check) => {
    if (!check.guest) return false;
    const isFirst = !firstChecks.has(check.guest.id);
    firstChecks.add(check.guest.id);
    return !isFirst && time(check.at) < time(now) - 3 * 60 * 60 * 1000;
  });
  const plans = new Map<Check, RefundPlan[]>();
  for (const [index, check] of rng.shuffle(candidates).slice(0, count).entries()) {
    const lastLine = must(check.receiptLines.at(-1));
    const shape = index % 3;
    if (shape === 1 && check.receiptLines.length > 1) {
      plans.set(check, [{ amount: lastLine.amount, at: addMinutes(check.at, 12) }]);
    } else if (shape === 2) {
      const firstPart = Math.floor(check.total / 3);
      plans.set(check, [
        { amount: firstPart, at: addMinutes(check.at, 10) },
        { amount: check.total - firstPart, at: addMinutes(check.at, 25) },
      ]);
    } else {
      plans.set(check, [{ amount: check.total, at: addMinutes(check.at, 8) }]);
    }
  }
  return plans;
}

// --- The loyalty book ------------------------------------------------------------------------

type Account = {
  profile: GuestProfile;
  enrolledAt: Date;
  balance: number;
  lifetimePaid: number;
  tier: Tier;
  lastVisitAt: Date | null;
  updatedAt: Date;
};

type ReceiptState = {
  pointsEarned: number;
  pointsRedeemed: number;
  refunded: number;
  reversed: number;
  returned: number;
};

/**
 * Replays the history through the rules of POS-API.md, check by check in time order, and
 * collects the rows it would have written: welcome bonus at sign-up; a hold (−points) before a
 * check paid partly with points; accrual by the tier held before the check; lifetime paid money
 * and tier after it; refunds reversing earned and returning spent points cumulatively.
 */
class LoyaltyBook {
  private readonly rows: HistoryRows = {
    guests: [],
    consents: [],
    redemptions: [],
    receipts: [],
    receiptLines: [],
    refunds: [],
    ledger: [],
  };
  private readonly accounts = new Map<string, Account>();
  private readonly receiptStates = new Map<string, ReceiptState>();
  private readonly refundCounters = new Map<string, number>();
  private readonly tenantId: string;

  constructor(
    private readonly input: SimulationInput,
    private readonly rng: Random,
  ) {
    this.tenantId = input.tenantId;
  }

  enrol(plan: GuestPlan): void {
    const { profile, enrolledAt } = plan;
    const account: Account = {
      profile,
      enrolledAt,
      balance: 0,
      lifetimePaid: 0,
      tier: tierFor(0, this.input.tiers),
      lastVisitAt: null,
      updatedAt: enrolledAt,
    };
    this.accounts.set(profile.id, account);
    // Consent is recorded with its time, channel, text version and (at the till) the café.
    const consent = (kind: "personal_data" | "marketing") => ({
      tenantId: this.tenantId,
      id: randomUUID(),
      guestId: profile.id,
      kind,
      granted: true,
      channel: profile.signUp,
      textVersion: CONSENT_TEXT_VERSION,
      locationId: profile.signUp === "pos" ? profile.home.id : null,
      createdAt: enrolledAt,
    });
    this.rows.consents.push(consent("personal_data"));
    if (profile.marketingOptIn) this.rows.consents.push(consent("marketing"));
    const bonus = this.input.program.welcomeBonus;
    if (bonus > 0) this.post(account, { kind: "welcome_bonus", delta: bonus, createdAt: enrolledAt });
  }

  closeCheck(check: Check): void {
    const account = check.guest ? must(this.accounts.get(check.guest.id)) : null;
    const redemption = account ? this.maybeRedeem(account, check) : null;
    const redeemed = redemption?.points ?? 0;
    // Anonymous checks earn nothing until claimed.
    const earned = account ? pointsEarned(check.total, redeemed, account.tier.accrualPercent) : 0;
    if (account) {
      if (earned > 0) this.post(account, { kind: "accrual", delta: earned, receiptId: check.id, createdAt: check.at });
      this.addPaid(account, paidMoney(check.total, redeemed), check.at);
      account.lastVisitAt = check.at;
    }
    this.receiptStates.set(check.id, {
      pointsEarned: earned,
      pointsRedeemed: redeemed,
      refunded: 0,
      reversed: 0,
      returned: 0,
    });
    this.rows.receipts.push({
      tenantId: this.tenantId,
      id: check.id,
      locationId: check.location.id,
      channel: "pos",
      externalId: check.externalId,
      payloadHash: payloadHash(receiptRequest(check, redemption?.id ?? null)),
      guestId: account?.profile.id ?? null,
      redemptionId: redemption?.id ?? null,
      occurredAt: check.at,
      total: check.total,
      pointsRedeemed: redeemed,
      pointsEarned: earned,
      fiscalFn: check.fiscal?.fn ?? null,
      fiscalFd: check.fiscal?.fd ?? null,
      fiscalFp: check.fiscal?.fp ?? null,
      response: {
        receipt: {
          id: check.id,
          externalId: check.externalId,
          total: check.total,
          pointsRedeemed: redeemed,
          pointsEarned: earned,
        },
        guest: account ? { id: account.profile.id, balance: account.balance, tier: account.tier.name } : null,
      },
      createdAt: check.at,
    });
    this.rows.receiptLines.push(
      ...check.receiptLines.map((line, index) => ({
        tenantId: this.tenantId,
        receiptId: check.id,
        lineNo: index + 1,
        ...line,
        quantity: line.quantity.toFixed(3),
      })),
    );
  }

  refund(check: Check, plan: RefundPlan): void {
    const account = must(this.accounts.get(must(check.guest).id));
    const state = must(this.receiptStates.get(check.id));
    const { pointsReversed, pointsReturned } = refundPoints({
      total: check.total,
      pointsEarned: state.pointsEarned,
      pointsRedeemed: state.pointsRedeemed,
      refundedBefore: state.refunded,
      amount: plan.amount,
      reversedBefore: state.reversed,
      returnedBefore: state.returned,
    });
    state.refunded += plan.amount;
    state.reversed += pointsReversed;
    state.returned += pointsReturned;
    const id = randomUUID();
    const externalRefundId = this.nextRefundId(check.location);
    const movement = { receiptId: check.id, refundId: id, createdAt: plan.at };
    // A zero movement is not written: the ledger refuses a delta of 0.
    if (pointsReversed > 0) this.post(account, { kind: "refund_reversal", delta: -pointsReversed, ...movement });
    if (pointsReturned > 0) this.post(account, { kind: "refund_return", delta: pointsReturned, ...movement });
    // Lifetime paid money drops by the money given back: the amount less the points returned in its place.
    this.addPaid(account, -(plan.amount - pointsReturned * 100), plan.at);
    const body = { externalRefundId, amount: plan.amount };
    this.rows.refunds.push({
      tenantId: this.tenantId,
      id,
      receiptId: check.id,
      locationId: check.location.id,
      ...body,
      payloadHash: payloadHash({ externalId: check.externalId, ...body }),
      pointsReversed,
      pointsReturned,
      response: { refund: { ...body, pointsReversed, pointsReturned }, guest: { balance: account.balance } },
      createdAt: plan.at,
    });
  }

  /** All rows, the guests last: their balances, lifetime money and tiers are final only now. */
  finish(): HistoryRows {
    this.rows.guests = [...this.accounts.values()].map((account) => ({
      tenantId: this.tenantId,
      id: account.profile.id,
      phone: account.profile.phone,
      email: account.profile.email,
      name: account.profile.name,
      birthday: account.profile.birthday,
      cardCode: account.profile.cardCode,
      qrSecret: account.profile.qrSecret,
      tierId: account.tier.id,
      balance: account.balance,
      lifetimePaid: account.lifetimePaid,
      marketingOptIn: account.profile.marketingOptIn,
      enrolledLocationId: account.profile.signUp === "pos" ? account.profile.home.id : null,
      lastVisitAt: account.lastVisitAt,
      createdAt: account.enrolledAt,
      updatedAt: account.updatedAt,
    }));
    return this.rows;
  }

  /** A guest paying part of the check with points: the hold, committed by this very check. */
  private maybeRedeem(account: Account, check: Check): { id: string; points: number } | null {
    const { program } = this.input;
    const available = Math.min(account.balance, redeemCap(check.total, program.maxRedeemPercent));
    if (available <= 0 || !this.rng.chance(this.input.spec.audience.redemptionChance)) return null;
    const points = this.rng.chance(0.7) ? available : this.rng.int(1, available);
    const id = randomUUID();
    const heldAt = addMinutes(check.at, -1);
    this.rows.redemptions.push({
      tenantId: this.tenantId,
      id,
      guestId: account.profile.id,
      locationId: check.location.id,
      points,
      checkTotal: check.total,
      externalCheckId: check.externalId,
      status: "committed",
      expiresAt: new Date(time(heldAt) + program.holdTtlSeconds * 1000),
      settledAt: check.at,
      createdAt: heldAt,
    });
    this.post(account, { kind: "redemption_hold", delta: -points, redemptionId: id, createdAt: heldAt });
    return { id, points };
  }

  private post(
    account: Account,
    entry: Omit<typeof ledgerEntries.$inferInsert, "tenantId" | "guestId"> & { createdAt: Date },
  ): void {
    account.balance += entry.delta;
    account.updatedAt = entry.createdAt;
    this.rows.ledger.push({ tenantId: this.tenantId, guestId: account.profile.id, ...entry });
  }

  /** Lifetime paid money moves the tier, up after a check and down after a refund. */
  private addPaid(account: Account, money: number, at: Date): void {
    account.lifetimePaid += money;
    account.tier = tierFor(account.lifetimePaid, this.input.tiers);
    account.updatedAt = at;
  }

  private nextRefundId(location: LocationRef): string {
    const number = (this.refundCounters.get(location.id) ?? 0) + 1;
    this.refundCounters.set(location.id, number);
    return `RF-${String(number).padStart(5, "0")}`;
  }
}

/** The POST /receipts body the till would have sent, for the stored idempotency hash. */
function receiptRequest(check: Check, redemptionId: string | null) {
  return {
    externalId: check.externalId,
    occurredAt: check.at.toISOString(),
    ...(check.guest ? { guestId: check.guest.id } : {}),
    ...(redemptionId ? { redemptionId } : {}),
    lines: check.receiptLines,
    total: check.total,
    ...(check.fiscal ? { fiscal: check.fiscal } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar and time zones
// ---------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

type Day = {
  /** Local calendar date, YYYY-MM-DD. */
  key: string;
  daysAgo: number;
  isoWeekday: "1" | "2" | "3" | "4" | "5" | "6" | "7";
  weekend: boolean;
  /** The instant of local midnight. */
  start: number;
};

/** The tenant's local calendar days from `days` days ago up to today. */
function calendar(now: Date, timeZone: string, days: number): Day[] {
  const today = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  return Array.from({ length: days + 1 }, (_, index) => {
    const daysAgo = days - index;
    const wallMidnight = today - daysAgo * DAY_MS;
    const weekday = new Date(wallMidnight).getUTCDay() || 7;
    // Offsets change at night (DST), never while the cafés are open: the noon offset serves all day.
    const offset = utcOffset(new Date(wallMidnight + 12 * 60 * 60 * 1000), timeZone);
    return {
      key: isoDate(wallMidnight),
      daysAgo,
      isoWeekday: String(weekday) as Day["isoWeekday"],
      weekend: weekday >= 6,
      start: wallMidnight - offset,
    };
  });
}

function atMinute(day: Day, minute: number): Date {
  return new Date(day.start + minute * 60 * 1000);
}

function localDate(instant: Date, timeZone: string): string {
  const parts = localParts(instant, timeZone);
  return isoDate(Date.UTC(num(parts.year), num(parts.month) - 1, num(parts.day)));
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function utcOffset(instant: Date, timeZone: string): number {
  const parts = localParts(instant, timeZone);
  const wall = Date.UTC(num(parts.year), num(parts.month) - 1, num(parts.day), num(parts.hour), num(parts.minute));
  return wall - Math.floor(time(instant) / 60_000) * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, plenty for demo data and identical on every platform. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return must(items[this.int(0, items.length - 1)]);
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = sum(items.map(weight));
    let target = this.next() * total;
    for (const item of items) {
      target -= weight(item);
      if (target < 0) return item;
    }
    return must(items.at(-1));
  }

  /** A fresh array in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const result = [...items];
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [result[i], result[j]] = [must(result[j]), must(result[i])];
    }
    return result;
  }

  digits(count: number): string {
    return Array.from({ length: count }, () => String(this.int(0, 9))).join("");
  }
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash >>> 0;
}

// biome-ignore format: a transliteration table reads best in rows
const TRANSLITERATION: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k",
  л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts",
  ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  ä: "ae", ö: "oe", ü: "ue", ß: "ss",
};

/** Lower-case ASCII for an email's local part (Russian transliterated, German umlauts spelled out). */
function ascii(text: string): string {
  return [...text.toLowerCase()]
    .map((char) => TRANSLITERATION[char] ?? char)
    .join("")
    .replace(/[^a-z0-9]/g, "");
}

function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error("seed: a value that must exist is missing");
  return value;
}

function num(value: number | undefined): number {
  return must(value);
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: Math.max(0, count) }, () => value);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function toMinutes(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return num(hours) * 60 + num(minutes);
}

function time(date: Date | undefined): number {
  return must(date).getTime();
}

function addMinutes(date: Date, minutes: number): Date {
  return new Date(time(date) + minutes * 60 * 1000);
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

// The demo tenants as data: everything that differs between them (menu, people, habits).

import type { NewLocation, NewTenant } from "../../server/tenants/create";
import type { CampaignSegment } from "../schema";
import type { OpeningHours } from "../schema/tenancy";
import { words } from "./helpers";

/** Fixed TOTP secrets (base32, 160 bits) of the demo tenant's owner and manager, keyed by role. */
export const DEMO_TOTP_SECRETS = {
  owner: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
  manager: "CFCCU6J6LR4XSUS7L5AG22RKFZWCQSZB",
} as const;

/** The TOTP secret of north's owner (a different person, so a different secret). */
export const NORTH_TOTP_SECRET = "KEGWA4ZONUJQUVCFEIBACXI7BVIWSIZH";

type StaffRole = "owner" | "manager" | "barista";

export type StaffSpec = {
  email: string;
  name: string;
  role: StaffRole;
  /** Location slugs the member is limited to; none means all. */
  locations?: string[];
  totpSecret?: string;
};

export type LocationSpec = NewLocation & {
  /** Prefix of the POS's check numbers at this café, e.g. `T` → `T-000123`. */
  checkPrefix: string;
  /** Fiscal drive (ФН, 16 digits) of the café's till; absent where checks are not fiscalised. */
  fiscalDrive?: string;
  /** Relative number of guests who call this café home. */
  footfall: number;
};

/** What a category is for, which decides when guests order from it. */
export type CategoryKind = "drink" | "breakfast" | "dessert";

export type ModifierOptionSpec = {
  slug: string;
  name: string;
  priceDelta: number;
  prepMinutesDelta?: number;
  isDefault?: boolean;
  /** Seeding only: how often guests pick this option within its group. */
  popularity?: number;
};

export type ModifierGroupSpec = {
  slug: string;
  name: string;
  minSelect: number;
  maxSelect: number;
  /** Seeding only: share of orders that touch an optional group (a required one is always chosen). */
  uptake?: number;
  options: ModifierOptionSpec[];
};

export type ProductSpec = {
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

export type CategorySpec = { slug: string; name: string; kind: CategoryKind; products: ProductSpec[] };

type NameBook = {
  female: string[];
  male: string[];
  surnames: string[];
  /** The surname as a woman bears it (Russian surnames agree in gender). */
  feminine: (surname: string) => string;
};

/** How the tenant's guests behave; shares are of all guests, rates per guest. */
export type AudienceSpec = {
  guests: number;
  names: NameBook;
  /** E.164 prefix and the number of random digits after it. */
  phone: { prefix: string; digits: number };
  /** A card code one regular gets for the demo's instructions (9 digits, not starting with 0). */
  showcaseCardCode?: string;
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

export type EngagementSpec = {
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
  /** A win-back automation that already ran and finished, so its results page has a story to tell. */
  finishedWinBack?: FinishedWinBackSpec;
};

/**
 * Guests who fell asleep while a weekly win-back automation ran, all of them reached by it: the
 * ones with consent and email drawn into target and hold-out, the rest counted as skipped. The
 * messaged guests come back within the window more often than the held-out ones.
 */
export type FinishedWinBackSpec = {
  name: string;
  subject: string;
  body: string;
  guests: number;
  /** Of those guests: without marketing consent, and with consent but no email (both skipped). */
  noConsent: number;
  noEmail: number;
  holdoutPercent: number;
  windowDays: number;
  /** Weekly runs; the last one's window closed the day before `now`. */
  runs: number;
  /** Share of each group who came back within the window. */
  cameBack: { target: number; holdout: number };
};

export type TenantSpec = {
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
    showcaseCardCode: "540987000",
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
    finishedWinBack: {
      name: "Мы соскучились",
      subject: "Мы соскучились, {name}!",
      body: "Ваш {favourite} ждёт вас в «{cafe}». Заходите — будем рады!",
      guests: 300,
      noConsent: 60,
      noEmail: 20,
      holdoutPercent: 20,
      windowDays: 14,
      runs: 6,
      cameBack: { target: 0.4, holdout: 0.1 },
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
      { name: "Bronze", names: { en: "Bronze", ru: "Бронза" }, accrualPercent: 5, minSpend: 0 },
      { name: "Silver", names: { en: "Silver", ru: "Серебро" }, accrualPercent: 7, minSpend: 10_000 },
      { name: "Gold", names: { en: "Gold", ru: "Золото" }, accrualPercent: 10, minSpend: 30_000 },
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

export const TENANT_SPECS: readonly TenantSpec[] = [DEMO_SPEC, NORTH_SPEC];

/** The demo tenant's staff accounts (all with DEMO_PASSWORD; owner and manager with TOTP). */
export const DEMO_STAFF: readonly { email: string; role: StaffRole }[] = DEMO_SPEC.staff.map(({ email, role }) => ({
  email,
  role,
}));

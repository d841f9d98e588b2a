// Bulk generators of a synthetic café's history for the benchmark scripts (bench:analytics,
// bench:backup): guests and receipts with lines made in SQL, tens of thousands per statement. They
// run as the superuser inside the caller's transaction, usually with
// `set local session_replication_role = replica` (no triggers or foreign-key checks while loading).
import type postgres from "postgres";

type Tx = postgres.TransactionSql;

/** `bench_locations (n, id)`: the café's locations numbered from 0 by slug (dropped at commit). */
export async function numberLocations(tx: Tx, tenantId: string): Promise<number> {
  await tx`
    create temp table bench_locations on commit drop as
    select row_number() over (order by slug) - 1 as n, id from locations where tenant_id = ${tenantId}`;
  const [row] = await tx<{ n: number }[]>`select count(*)::int as n from bench_locations`;
  return row?.n ?? 0;
}

/** `bench_guests (n, id)`: the café's guests numbered from 0 by id (dropped at commit). */
export async function numberGuests(tx: Tx, tenantId: string): Promise<number> {
  await tx`
    create temp table bench_guests on commit drop as
    select row_number() over (order by id) - 1 as n, id from guests where tenant_id = ${tenantId}`;
  await tx`create index on bench_guests (n)`;
  const [row] = await tx<{ n: number }[]>`select count(*)::int as n from bench_guests`;
  return row?.n ?? 0;
}

export type SyntheticGuests = {
  tenantId: string;
  count: number;
  /** Sign-ups spread over this many days up to now. */
  days: number;
  tierId: string | null;
  /** Phone `<prefix><7 digits>`, e-mail `<prefix><n>@example.com`, card code `firstCardCode + n`: unique per café. */
  phonePrefix: string;
  emailPrefix: string;
  firstCardCode: number;
  /** An arbitrary starting balance (no ledger behind it) rather than 0. */
  arbitraryBalances: boolean;
};

export async function insertSyntheticGuests(tx: Tx, guests: SyntheticGuests): Promise<void> {
  const { tenantId, count, days } = guests;
  await tx`
    insert into guests (tenant_id, id, phone, email, name, card_code, qr_secret, tier_id, balance, lifetime_paid,
                        marketing_opt_in, birthday, created_at)
    select ${tenantId}, uuidv7(- make_interval(days => ${days} - (g % ${days}))), ${guests.phonePrefix}::text || lpad(g::text, 7, '0'),
           case when g % 3 = 0 then ${guests.emailPrefix}::text || g || '@example.com' end,
           (array['Анна','Иван','Мария','Пётр','Ольга','Сергей','Елена','Дмитрий'])[1 + g % 8] || ' ' ||
           (array['Иванова','Смирнов','Кузнецова','Попов','Соколова','Лебедев'])[1 + (g / 8) % 6],
           (${guests.firstCardCode}::bigint + g)::text, md5(${guests.phonePrefix}::text || g), ${guests.tierId},
           case when ${guests.arbitraryBalances}::boolean then (g * 7) % 500 else 0 end, 0, g % 2 = 0,
           case when g % 4 = 0 then date '1980-01-01' + (g % 9000) end,
           now() - make_interval(days => ${days} - (g % ${days}))
    from generate_series(1, ${count}::int) g`;
}

export type SyntheticReceipts = {
  tenantId: string;
  /** Receipt numbers `from + 1 … to` (external id `B-<number>`) of `total` spread over `days` up to now. */
  from: number;
  to: number;
  total: number;
  days: number;
  /** How many rows bench_guests and bench_locations hold. */
  guests: number;
  locations: number;
  /** Every so many receipts with a guest redeem 50 points (0: none). */
  redeemEvery: number;
  /** The answer the POS got, as the app stores it (else `{}`). */
  withResponse: boolean;
};

/**
 * Receipts with 1–3 lines each, joined to bench_locations and bench_guests: a long tail (a few
 * guests come daily, most now and then), a quarter anonymous, a tenth of the guests' online.
 */
export async function insertSyntheticReceipts(tx: Tx, batch: SyntheticReceipts): Promise<void> {
  const { tenantId, total, days, guests, locations } = batch;
  const redeemEvery = Math.max(0, Math.floor(batch.redeemEvery));
  await tx`
    with made as (
      select g, uuidv7() as id, (${days}::float8 * ((g::bigint * 7919) % ${total}) / ${total}) as days_ago,
             case when g % 4 = 0 then null else floor(${guests} * power(((g::bigint * 104729) % 99991) / 99991.0, 2))::int end as guest_n,
             g % ${locations} as location_n
      from generate_series(${batch.from + 1}::int, ${batch.to}::int) g),
    shaped as (
      select m.g, m.id, l.id as location_id, bg.id as guest_id, 'B-' || m.g as external_id, 20000 + (m.g % 40) * 1000 as total,
             case when bg.id is null then 0 else 10 + m.g % 20 end as points_earned,
             case when ${redeemEvery}::int > 0 and m.g % greatest(${redeemEvery}::int, 1) = 0 and bg.id is not null
                  then 50 else 0 end as points_redeemed,
             m.days_ago
      from made m join bench_locations l on l.n = m.location_n left join bench_guests bg on bg.n = m.guest_n),
    inserted as (
      insert into receipts (tenant_id, id, location_id, channel, external_id, payload_hash, guest_id, occurred_at,
                            total, points_earned, points_redeemed, response, created_at)
      select ${tenantId}, s.id, s.location_id, case when s.g % 10 = 0 and s.guest_id is not null then 'online' else 'pos' end::receipt_channel,
             s.external_id, md5(s.g::text) || md5('x' || s.g), s.guest_id,
             date_trunc('day', now() - make_interval(days => s.days_ago::int)) + interval '7 hours'
               + make_interval(mins => (s.g * 37) % 840),
             s.total, s.points_earned, s.points_redeemed,
             case when ${batch.withResponse}::boolean then jsonb_build_object(
               'receipt', jsonb_build_object('id', s.id, 'externalId', s.external_id, 'total', s.total,
                                             'pointsRedeemed', s.points_redeemed, 'pointsEarned', s.points_earned),
               'guest', case when s.guest_id is null then null
                             else jsonb_build_object('id', s.guest_id, 'balance', 100 + s.g % 900, 'tier', 'Бронза') end)
             else '{}'::jsonb end,
             now()
      from shaped s
      returning id, external_id, total)
    insert into receipt_lines (tenant_id, receipt_id, line_no, sku, name, quantity, unit_price, amount, category)
    select ${tenantId}, i.id, k, 'SKU-' || ((n * (k + 3)) % 40), 'Product ' || ((n * (k + 3)) % 40), 1,
           case when k = 1 then i.total - 8000 * (n % 3) else 8000 end,
           case when k = 1 then i.total - 8000 * (n % 3) else 8000 end, 'coffee'
    from (select id, total, substr(external_id, 3)::int as n from inserted) i, generate_series(1, 1 + i.n % 3) k`;
}

/** A one-line progress bar that redraws itself. */
export function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(
    `\r[bench] ${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.round((done / total) * 100)}%`,
  );
  if (done >= total) process.stdout.write("\n");
}

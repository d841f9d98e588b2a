import { createHash } from "node:crypto";
import type { Tx } from "../client";
import {
  analyticsChanges,
  analyticsSettings,
  auditLog,
  campaignSends,
  campaignSettings,
  campaigns,
  dataExportChunks,
  dataExports,
  guestConsents,
  guestImportBatches,
  guestImportMappings,
  guestImportRows,
  guestLocationDays,
  guestOffers,
  guestStats,
  guests,
  hintRules,
  ledgerEntries,
  locationHourStats,
  locationPrices,
  locations,
  loyaltyPrograms,
  loyaltyRuleVersions,
  loyaltyTiers,
  membershipLocations,
  memberships,
  menuCategories,
  menuImportBatches,
  messageEvents,
  modifierGroups,
  modifierOptionStopList,
  modifierOptions,
  offers,
  offerUses,
  orderItems,
  orderNotices,
  orders,
  posApiKeys,
  posRequestLog,
  productAvailability,
  productDayStats,
  productModifierGroups,
  productPairStats,
  products,
  productVariants,
  pushSubscriptions,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  rhythmFits,
  staffInvitations,
  staffPreferences,
  subscriptions,
  surveyQuestions,
  surveyResponses,
  surveys,
  users,
  welcomeBonusClaims,
} from "../schema";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** What `fillTenant` wrote, for tests that need to find a row again. */
export type FilledTenant = {
  userId: string;
  locationId: string;
  guestId: string;
  posKeyId: string;
  /** The stored hash of the tenant's POS key (what `pos_key_lookup` is asked with). */
  posKeyHash: string;
};

/**
 * Writes at least one row into EVERY tenant table for `tenantId` (plus one platform user for the
 * membership), with every optional tenant-to-tenant reference filled, so that the tenancy test
 * (db/tenancy.test.ts) exercises each table and each foreign key. Run it in a transaction bound to
 * the tenant (`withTenant`), once per tenant, after `createTenant`.
 *
 * A new tenant table must get a row here: the tenancy test fails naming any tenant table this
 * fixture leaves empty.
 */
export async function fillTenant(tx: Tx, tenantId: string): Promise<FilledTenant> {
  const now = new Date();
  const inAnHour = new Date(now.getTime() + 60 * 60 * 1000);
  const one = async <T>(rows: Promise<T[]>): Promise<T> => {
    const [row] = await rows;
    if (!row) throw new Error("fillTenant: insert returned no row");
    return row;
  };

  // Platform row the staff tables point at.
  const user = await one(
    tx
      .insert(users)
      .values({ email: `owner-${tenantId}@fill.example`, name: "Fill Owner" })
      .returning({ id: users.id }),
  );

  // Tenancy and staff.
  const location = await one(
    tx
      .insert(locations)
      .values({
        tenantId,
        slug: "fill-location",
        name: "Fill Café",
        address: "1 Test Street",
        timezone: "Europe/Moscow",
        openingHours: { "1": [["08:00", "21:00"]], "2": [], "3": [], "4": [], "5": [], "6": [], "7": [] },
      })
      .returning({ id: locations.id }),
  );
  const membership = await one(
    tx.insert(memberships).values({ tenantId, userId: user.id, role: "owner" }).returning({ id: memberships.id }),
  );
  await tx.insert(membershipLocations).values({ tenantId, membershipId: membership.id, locationId: location.id });
  await tx.insert(staffInvitations).values({
    tenantId,
    email: `barista-${tenantId}@fill.example`,
    role: "barista",
    locationIds: [location.id],
    tokenHash: sha256(`invitation-${tenantId}`),
    invitedBy: user.id,
    expiresAt: inAnHour,
  });

  // Billing and the loyalty program (createTenant already wrote both rows; these keep the fixture
  // complete should it stop doing so).
  await tx
    .insert(subscriptions)
    .values({ tenantId, plan: "fill", status: "trialing", trialEndsAt: inAnHour })
    .onConflictDoNothing();
  await tx.insert(loyaltyPrograms).values({ tenantId }).onConflictDoNothing();
  const tier = await one(
    tx
      .insert(loyaltyTiers)
      .values({ tenantId, name: "Fill tier", accrualPercent: 1, minSpend: 987_654_321 })
      .returning({ id: loyaltyTiers.id }),
  );
  // A version of the rules far ahead, so it changes nothing a test sees today.
  await tx.insert(loyaltyRuleVersions).values({
    tenantId,
    number: 2,
    effectiveFrom: new Date("2099-01-01T00:00:00Z"),
    rules: {
      tiers: [{ id: tier.id, name: "Fill tier", accrualPercent: 1, minSpend: 0 }],
      maxRedeemPercent: 30,
      welcomeBonus: 100,
      birthdayBonus: 200,
      surveyBonus: 50,
      holdTtlSeconds: 900,
      expireAfterInactiveDays: null,
    },
    publishedBy: user.id,
  });

  // Guests, and the import that brought one of them over.
  const importBatch = await one(
    tx
      .insert(guestImportBatches)
      .values({
        tenantId,
        fileName: "fill-guests.csv",
        fileSha256: sha256(`guest-import-${tenantId}`),
        format: "csv",
        header: ["Телефон", "Баллы"],
        rowCount: 1,
        status: "applied",
        mapping: { phone: 0, balance: 1 },
        createdBy: user.id,
      })
      .returning({ id: guestImportBatches.id }),
  );
  await tx
    .insert(guestImportRows)
    .values({ tenantId, batchId: importBatch.id, rowNo: 2, cells: ["+79990000001", "5"] });
  await tx
    .insert(guestImportMappings)
    .values({ tenantId, name: "Fill mapping", columns: { phone: "Телефон" }, balanceMode: "add", tierMode: "carry" });
  const guest = await one(
    tx
      .insert(guests)
      .values({
        tenantId,
        phone: "+79990000001",
        email: "guest@fill.example",
        name: "Fill Guest",
        birthday: "1990-01-01",
        cardCode: "FILL-0001",
        qrSecret: "FILLQRSECRET",
        tierId: tier.id,
        marketingOptIn: true,
        enrolledLocationId: location.id,
        lastVisitAt: now,
        importBatchId: importBatch.id,
      })
      .returning({ id: guests.id }),
  );
  await tx.insert(guestConsents).values({
    tenantId,
    guestId: guest.id,
    kind: "personal_data",
    granted: true,
    channel: "pos",
    textVersion: "fill-1",
    locationId: location.id,
    importBatchId: importBatch.id,
  });
  await tx.insert(welcomeBonusClaims).values({ tenantId, identityHash: sha256(`welcome:${tenantId}`) });

  // Menu.
  const category = await one(
    tx
      .insert(menuCategories)
      .values({ tenantId, slug: "fill-coffee", name: "Coffee" })
      .returning({ id: menuCategories.id }),
  );
  const product = await one(
    tx
      .insert(products)
      .values({ tenantId, categoryId: category.id, sku: "FILL-LATTE", name: "Latte", price: 25_000 })
      .returning({ id: products.id }),
  );
  const group = await one(
    tx
      .insert(modifierGroups)
      .values({ tenantId, slug: "fill-milk", name: "Milk" })
      .returning({ id: modifierGroups.id }),
  );
  const option = await one(
    tx
      .insert(modifierOptions)
      .values({ tenantId, groupId: group.id, slug: "oat", name: "Oat", priceDelta: 5_000 })
      .returning({ id: modifierOptions.id }),
  );
  const variant = await one(
    tx
      .insert(productVariants)
      .values({ tenantId, productId: product.id, slug: "large", name: "Large", sku: "FILL-LATTE-L", price: 30_000 })
      .returning({ id: productVariants.id }),
  );
  await tx
    .insert(locationPrices)
    .values({ tenantId, locationId: location.id, productId: product.id, variantSlug: "large", price: 32_000 });
  await tx
    .insert(modifierOptionStopList)
    .values({ tenantId, locationId: location.id, optionId: option.id, soldOutOn: "2030-01-01" });
  await tx.insert(menuImportBatches).values({
    tenantId,
    format: "zerno",
    fileName: "fill.csv",
    fileSha256: sha256(`menu-import-${tenantId}`),
    summary: { created: 1 },
    changes: {
      createdCategoryIds: [],
      createdProductIds: [],
      createdVariantIds: [variant.id],
      updatedProducts: [],
      updatedVariants: [],
    },
    createdBy: user.id,
  });
  await tx.insert(productModifierGroups).values({ tenantId, productId: product.id, groupId: group.id });
  await tx.insert(productAvailability).values({
    tenantId,
    locationId: location.id,
    productId: product.id,
    available: false,
    soldOutOn: "2030-01-01",
  });

  // Spending points, ordering, paying, refunding.
  const redemption = await one(
    tx
      .insert(redemptions)
      .values({
        tenantId,
        guestId: guest.id,
        locationId: location.id,
        points: 10,
        checkTotal: 25_000,
        externalCheckId: "FILL-CHECK-1",
        expiresAt: inAnHour,
      })
      .returning({ id: redemptions.id }),
  );
  const order = await one(
    tx
      .insert(orders)
      .values({
        tenantId,
        locationId: location.id,
        guestId: guest.id,
        pickupCode: "F01",
        pickupAt: inAnHour,
        prepMinutes: 3,
        subtotal: 25_000,
        pointsApplied: 10,
        redemptionId: redemption.id,
        idempotencyKey: `fill-order-${tenantId}`,
      })
      .returning({ id: orders.id }),
  );
  await tx.insert(orderItems).values({
    tenantId,
    orderId: order.id,
    lineNo: 1,
    productId: product.id,
    name: "Latte",
    sku: "FILL-LATTE",
    quantity: "1.000",
    unitPrice: 25_000,
    amount: 25_000,
    modifiers: [{ groupSlug: "fill-milk", optionSlug: "oat", name: "Oat", priceDelta: 5_000 }],
  });
  await tx.insert(orderNotices).values({ tenantId, orderId: order.id, status: "ready" });
  await tx.insert(pushSubscriptions).values({
    tenantId,
    guestId: guest.id,
    endpoint: `https://push.example/fill-${tenantId}`,
    p256dh: "fill-p256dh",
    auth: "fill-auth",
  });
  const receipt = await one(
    tx
      .insert(receipts)
      .values({
        tenantId,
        locationId: location.id,
        channel: "online",
        externalId: "FILL-RECEIPT-1",
        payloadHash: sha256(`receipt-${tenantId}`),
        guestId: guest.id,
        orderId: order.id,
        redemptionId: redemption.id,
        occurredAt: now,
        total: 25_000,
        pointsRedeemed: 10,
        pointsEarned: 12,
        response: { ok: true },
      })
      .returning({ id: receipts.id }),
  );
  await tx.insert(receiptLines).values({
    tenantId,
    receiptId: receipt.id,
    lineNo: 1,
    sku: "FILL-LATTE",
    name: "Latte",
    quantity: "1.000",
    unitPrice: 25_000,
    amount: 25_000,
    category: "Coffee",
  });
  const refund = await one(
    tx
      .insert(refunds)
      .values({
        tenantId,
        receiptId: receipt.id,
        locationId: location.id,
        externalRefundId: "FILL-REFUND-1",
        payloadHash: sha256(`refund-${tenantId}`),
        amount: 5_000,
        pointsReversed: 2,
        pointsReturned: 2,
        response: { ok: true },
      })
      .returning({ id: refunds.id }),
  );
  // Offers: a promo code used by the receipt, a personal grant.
  const offer = await one(
    tx
      .insert(offers)
      .values({
        tenantId,
        kind: "percent_off",
        value: 10,
        skus: ["FILL-LATTE"],
        title: { ru: "Скидка", en: "Discount" },
        source: "code",
        code: "FILL10",
        locationIds: [location.id],
        usesCount: 1,
        createdBy: user.id,
      })
      .returning({ id: offers.id }),
  );
  const grant = await one(
    tx
      .insert(guestOffers)
      .values({ tenantId, offerId: offer.id, guestId: guest.id, source: "personal", grantedBy: user.id })
      .returning({ id: guestOffers.id }),
  );
  await tx.insert(offerUses).values({
    tenantId,
    offerId: offer.id,
    guestId: guest.id,
    grantId: grant.id,
    locationId: location.id,
    receiptId: receipt.id,
    orderId: order.id,
    status: "used",
    discount: 2_500,
  });
  await tx.insert(ledgerEntries).values({
    tenantId,
    guestId: guest.id,
    offerId: offer.id,
    kind: "manual_adjustment",
    delta: 5,
    receiptId: receipt.id,
    refundId: refund.id,
    redemptionId: redemption.id,
    orderId: order.id,
    actorUserId: user.id,
    note: "fill",
    importBatchId: importBatch.id,
  });

  // POS integration.
  const posKeyHash = sha256(`pos-key-${tenantId}`);
  const posKey = await one(
    tx
      .insert(posApiKeys)
      .values({
        tenantId,
        locationId: location.id,
        name: "Fill till",
        keyHash: posKeyHash,
        prefix: "zk_fill",
        createdBy: user.id,
      })
      .returning({ id: posApiKeys.id }),
  );
  await tx.insert(posRequestLog).values({
    tenantId,
    keyId: posKey.id,
    method: "POST",
    path: "/api/pos/v1/receipts",
    status: 200,
    latencyMs: 12,
    requestId: "fill-request-1",
  });

  // Marketing.
  await tx.insert(hintRules).values({ tenantId, ifSku: "FILL-LATTE", suggestSku: "FILL-CROISSANT", text: "Try one" });
  const campaign = await one(
    tx
      .insert(campaigns)
      .values({ tenantId, name: "Fill win-back", kind: "win_back", subject: "We miss you", body: "Come back" })
      .returning({ id: campaigns.id }),
  );
  const send = await one(
    tx
      .insert(campaignSends)
      .values({ tenantId, campaignId: campaign.id, guestId: guest.id, sentAt: now, status: "sent" })
      .returning({ id: campaignSends.id }),
  );
  await tx.insert(campaignSettings).values({ tenantId });
  await tx.insert(messageEvents).values({
    tenantId,
    sendId: send.id,
    providerEventId: `fill-event-${tenantId}`,
    type: "email.delivered",
    occurredAt: now,
    payload: {},
  });
  const survey = await one(tx.insert(surveys).values({ tenantId, title: "Fill survey" }).returning({ id: surveys.id }));
  const question = await one(
    tx
      .insert(surveyQuestions)
      .values({ tenantId, surveyId: survey.id, text: "How was it?", kind: "rating" })
      .returning({ id: surveyQuestions.id }),
  );
  await tx
    .insert(surveyResponses)
    .values({ tenantId, surveyId: survey.id, guestId: guest.id, answers: { [question.id]: 5 } });

  // Audit.
  await tx.insert(auditLog).values({
    tenantId,
    actorKind: "staff",
    actorUserId: user.id,
    action: "fill.tenant",
    targetType: "tenant",
    targetId: tenantId,
    ip: "127.0.0.1",
    meta: { fixture: true },
  });

  // Analytics roll-ups (normally written by server/analytics; here one row each, by hand).
  const today = now.toISOString().slice(0, 10);
  await tx.insert(analyticsChanges).values({ tenantId, guestId: guest.id, locationId: location.id, occurredAt: now });
  await tx.insert(locationHourStats).values({
    tenantId,
    locationId: location.id,
    day: today,
    hour: 9,
    receipts: 1,
    revenue: 25_000,
    identifiedReceipts: 1,
    onlineReceipts: 1,
    onlineRevenue: 25_000,
    pointsEarned: 12,
    pointsRedeemed: 10,
    refunds: 1,
    refundedAmount: 5_000,
  });
  await tx
    .insert(guestLocationDays)
    .values({ tenantId, guestId: guest.id, locationId: location.id, day: today, receipts: 1, revenue: 25_000 });
  await tx.insert(productDayStats).values({
    tenantId,
    locationId: location.id,
    day: today,
    sku: "FILL-LATTE",
    name: "Latte",
    quantity: 1,
    revenue: 25_000,
    receipts: 1,
  });
  await tx.insert(productPairStats).values({
    tenantId,
    locationId: location.id,
    skuA: "FILL-CROISSANT",
    skuB: "FILL-LATTE",
    nameA: "Croissant",
    nameB: "Latte",
    receipts: 1,
    computedAt: now,
  });
  await tx.insert(guestStats).values({
    tenantId,
    guestId: guest.id,
    visits: 1,
    onlineVisits: 1,
    firstVisitAt: now,
    lastVisitAt: now,
    spend: 20_000,
    favouriteSku: "FILL-LATTE",
    favouriteName: "Latte",
    favouriteCount: 1,
    locationIds: [location.id],
    segment: "new",
  });
  await tx.insert(rhythmFits).values({
    tenantId,
    fittedAt: now,
    r: 0.24,
    alpha: 4.41,
    a: 0.79,
    b: 2.43,
    logLikelihood: -9582.4,
    guests: 1,
    patterns: 1,
    durationMs: 1,
  });
  await tx.insert(analyticsSettings).values({ tenantId }).onConflictDoNothing();
  await tx
    .insert(staffPreferences)
    .values({ tenantId, membershipId: membership.id, key: "guests.columns", value: ["name", "visits"] });

  // The café's full export: a finished job and one piece of its archive.
  const dataExport = await one(
    tx
      .insert(dataExports)
      .values({ tenantId, requestedBy: user.id, withPersonalData: false, status: "done", finishedAt: now })
      .returning({ id: dataExports.id }),
  );
  await tx.insert(dataExportChunks).values({ tenantId, exportId: dataExport.id, seq: 0, data: Buffer.from("PK") });

  return { userId: user.id, locationId: location.id, guestId: guest.id, posKeyId: posKey.id, posKeyHash };
}

import type { Tx } from "@/db/client";
import { campaignSettings } from "@/db/schema";

export type CampaignSettings = Omit<typeof campaignSettings.$inferSelect, "tenantId" | "updatedAt">;

/** The defaults of a café that never saved its campaign settings (the table's column defaults). */
export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  frequencyCapCount: 2,
  frequencyCapDays: 7,
  quietStart: "21:00:00",
  quietEnd: "09:00:00",
  globalControlEnabled: false,
  globalControlPercent: 5,
  cogsPercent: 30,
  pointCostMinor: null,
  subscriptionMinor: null,
  roiWinbackPercent: 5,
};

/** The bound café's campaign settings (its row, or the defaults). */
export async function loadCampaignSettings(tx: Tx): Promise<CampaignSettings> {
  const [row] = await tx.select().from(campaignSettings).limit(1);
  if (!row) return DEFAULT_CAMPAIGN_SETTINGS;
  const { tenantId: _tenantId, updatedAt: _updatedAt, ...settings } = row;
  return settings;
}

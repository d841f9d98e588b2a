import { getTranslations } from "next-intl/server";
import type { TimelineItem } from "@/server/guests/card";

type CampaignItem = Extract<TimelineItem, { kind: "campaign" }>;

/** A campaign message on the guest card's timeline: sent, held back (control group), or not sent and why. */
export async function CampaignTimelineEntry({ item }: { item: CampaignItem }) {
  const t = await getTranslations("campaigns.timeline");
  const name = item.campaignName;
  let text: string;
  switch (item.status) {
    case "sent":
    case "delivered":
    case "bounced":
    case "complained":
      text = t("sent", { name });
      break;
    case "held_out":
      text = t("heldOut", { name });
      break;
    case "skipped":
      text = t("skipped", { name, reason: t(`reasons.${item.skipReason ?? "no_consent"}`) });
      break;
    case "failed":
      text = t("failed", { name });
      break;
    default:
      text = t("queued", { name });
  }
  return <p className="font-semibold">{text}</p>;
}

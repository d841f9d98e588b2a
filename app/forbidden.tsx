import { getTranslations } from "next-intl/server";
import { StatusPage } from "@/components/ui/status-page";

export default async function Forbidden() {
  const t = await getTranslations("forbidden");
  return <StatusPage status={403} title={t("title")} text={t("text")} href="/dashboard" linkText={t("back")} />;
}

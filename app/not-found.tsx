import { getTranslations } from "next-intl/server";
import { StatusPage } from "@/components/ui/status-page";

export default async function NotFound() {
  const t = await getTranslations("notFound");
  return <StatusPage status={404} title={t("title")} text={t("text")} href="/" linkText={t("home")} />;
}

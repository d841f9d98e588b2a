import type { Metadata, Viewport } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const brand = (await getTranslations("common"))("brand");
  return {
    title: { default: brand, template: `%s — ${brand}` },
    description: (await getTranslations("meta"))("description"),
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#3b2418" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations("common");
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-crema text-espresso antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          {t("skipToContent")}
        </a>
        {/* No messages here: each part of the site hands its client components the namespaces they
            need (its layout), and pages without translated client components ship no formatter. */}
        {children}
      </body>
    </html>
  );
}

import { getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/[tenant]/me/actions";

export const CABINET_PAGES = ["overview", "history", "claim", "survey", "profile"] as const;
export type CabinetPage = (typeof CABINET_PAGES)[number];

export function cabinetPath(tenant: string, page: CabinetPage): string {
  return page === "overview" ? `/${tenant}/me` : `/${tenant}/me/${page}`;
}

/** The cabinet's sub-navigation (tabs, the current one marked for screen readers too) and sign-out. */
export async function CabinetNav({ tenant, current }: { tenant: string; current: CabinetPage }) {
  const t = await getTranslations("cabinet.nav");
  return (
    <div className="-mx-4 flex items-center gap-2 border-b border-espresso/10 px-4 py-2">
      {/* One row that scrolls sideways on a narrow phone: tabs wrapped onto two lines read as two menus. */}
      <nav aria-label={t("label")} className="min-w-0 flex-1 overflow-x-auto [scrollbar-width:thin]">
        <ul className="flex flex-nowrap gap-1" data-testid="cabinet-tabs">
          {CABINET_PAGES.map((page) => (
            <li key={page}>
              {/* Plain links, navigated in the app by LinkNavigation (app/[tenant]/layout.tsx) and
                  fetched on tap, not all at once while the cabinet loads on a phone. */}
              <a
                href={cabinetPath(tenant, page)}
                aria-current={page === current ? "page" : undefined}
                className="block whitespace-nowrap rounded-full px-2.5 py-2 text-sm font-medium hover:bg-white aria-[current=page]:bg-espresso aria-[current=page]:text-crema"
              >
                {t(page)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form action={signOutAction.bind(null, tenant)} className="shrink-0">
        <button
          type="submit"
          className="whitespace-nowrap rounded-full border border-espresso/30 px-3 py-2 text-sm font-medium hover:bg-white"
        >
          {t("signOut")}
        </button>
      </form>
    </div>
  );
}

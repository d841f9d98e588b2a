"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Client-side navigation for the café's pages' plain links (header, product cards, cabinet tabs):
 * one listener for the whole page instead of a hydrated next/link per link (a menu has dozens).
 * A click that the browser would follow in this tab to another page of the café (`scope`) becomes
 * a router navigation; anything else stays the browser's — a new tab or window (a modifier key, a
 * middle click, `target`), a download, another site, a jump within the page (the menu's
 * categories), a click a component already handled. Links stay links: keyboard, screen readers
 * and pages without JavaScript are unaffected.
 */
export function LinkNavigation({ scope }: { scope: string }) {
  const router = useRouter();
  useEffect(() => {
    function onClick(event: MouseEvent) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href);
      if (url.origin !== window.location.origin) return;
      if (url.pathname !== scope && !url.pathname.startsWith(`${scope}/`)) return;
      if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
      event.preventDefault();
      router.push(`${url.pathname}${url.search}${url.hash}`);
    }
    // On window, after React's own listeners (on the document): a next/link has had its say.
    window.addEventListener("click", onClick);
    return () => window.removeEventListener("click", onClick);
  }, [router, scope]);
  return null;
}

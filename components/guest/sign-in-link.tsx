"use client";

import { usePathname } from "next/navigation";

/**
 * "Sign in" that comes back to the page it was pressed on (the layout holding it stays while the
 * guest moves between pages, so the page is read here, in the browser); the server checks the
 * way back again (guestReturnPath).
 */
export function SignInLink({
  tenant,
  className,
  children,
}: {
  tenant: string;
  className: string;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const onAuthPage = pathname === `/${tenant}/sign-in` || pathname === `/${tenant}/welcome`;
  const back = !pathname || onAuthPage ? `/${tenant}` : pathname;
  return (
    <a href={`/${tenant}/sign-in?next=${encodeURIComponent(back)}`} className={className}>
      {children}
    </a>
  );
}

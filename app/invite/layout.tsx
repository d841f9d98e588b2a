import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";

/** Invitation pages' client components get the staff messages. */
export default function InviteMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={STAFF_NAMESPACES}>{children}</IntlProvider>;
}

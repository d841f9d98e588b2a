import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";

/** Account pages' client components get the staff messages. */
export default function AccountMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={STAFF_NAMESPACES}>{children}</IntlProvider>;
}

import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";

/** The back-office's client components get the staff messages. */
export default function DashboardMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={STAFF_NAMESPACES}>{children}</IntlProvider>;
}

import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";

/** Password reset's client components get the staff messages. */
export default function ForgotMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={STAFF_NAMESPACES}>{children}</IntlProvider>;
}

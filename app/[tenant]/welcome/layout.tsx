import { IntlProvider } from "@/components/intl-provider";

/** The welcome form gets its messages. */
export default function WelcomeMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["common", "guestAuth", "waysBack"]}>{children}</IntlProvider>;
}

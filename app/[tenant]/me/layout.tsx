import { IntlProvider } from "@/components/intl-provider";

/** The cabinet's client components get the cabinet messages. */
export default function CabinetMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["common", "cabinet"]}>{children}</IntlProvider>;
}

import { IntlProvider } from "@/components/intl-provider";

/** The product form gets the shop messages. */
export default function ProductMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["shop"]}>{children}</IntlProvider>;
}

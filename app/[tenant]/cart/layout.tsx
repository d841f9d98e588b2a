import { IntlProvider } from "@/components/intl-provider";

/** The cart gets the shop messages. */
export default function CartMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["shop"]}>{children}</IntlProvider>;
}

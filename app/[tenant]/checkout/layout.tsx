import { IntlProvider } from "@/components/intl-provider";

/** The checkout gets the shop messages. */
export default function CheckoutMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["shop", "offers"]}>{children}</IntlProvider>;
}

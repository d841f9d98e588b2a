import { IntlProvider } from "@/components/intl-provider";

/** Order pages get the shop messages. */
export default function OrdersMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["shop", "offers", "notices", "waysBack"]}>{children}</IntlProvider>;
}

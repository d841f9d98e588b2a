import { IntlProvider } from "@/components/intl-provider";

/** The guest sign-in form gets its messages. */
export default function GuestSignInMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["common", "guestAuth"]}>{children}</IntlProvider>;
}

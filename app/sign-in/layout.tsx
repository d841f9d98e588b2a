import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";

/** Staff sign-in's client components get the staff messages. */
export default function SignInMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={STAFF_NAMESPACES}>{children}</IntlProvider>;
}

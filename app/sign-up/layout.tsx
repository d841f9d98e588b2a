import { IntlProvider } from "@/components/intl-provider";

/** Sign-up's client components get the sign-up and staff sign-in messages. */
export default function SignUpMessagesLayout({ children }: { children: React.ReactNode }) {
  return <IntlProvider namespaces={["common", "auth", "signUp"]}>{children}</IntlProvider>;
}

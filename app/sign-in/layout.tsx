import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";
import { LocaleSwitcher } from "@/components/locale-switcher";

/** Staff sign-in's client components get the staff messages. */
export default function SignInMessagesLayout({ children }: { children: React.ReactNode }) {
  return (
    <IntlProvider namespaces={STAFF_NAMESPACES}>
      {/* The language switch before the form: staff choose it before signing in or entering a code. */}
      <div className="flex justify-end px-4 pt-3">
        <LocaleSwitcher />
      </div>
      {children}
    </IntlProvider>
  );
}

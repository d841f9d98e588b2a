import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";
import { LocaleSwitcher } from "@/components/locale-switcher";

/** Password reset's client components get the staff messages. */
export default function ForgotMessagesLayout({ children }: { children: React.ReactNode }) {
  return (
    <IntlProvider namespaces={STAFF_NAMESPACES}>
      {/* The language switch before the form, as on the sign-in page this one is reached from. */}
      <div className="flex justify-end px-4 pt-3">
        <LocaleSwitcher />
      </div>
      {children}
    </IntlProvider>
  );
}

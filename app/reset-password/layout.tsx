import { IntlProvider, STAFF_NAMESPACES } from "@/components/intl-provider";
import { LocaleSwitcher } from "@/components/locale-switcher";

/** Password reset's client components get the staff messages. */
export default function ResetMessagesLayout({ children }: { children: React.ReactNode }) {
  return (
    <IntlProvider namespaces={STAFF_NAMESPACES}>
      {/* The language switch before the form: the mailed link may open in a browser set to the other language. */}
      <div className="flex justify-end px-4 pt-3">
        <LocaleSwitcher />
      </div>
      {children}
    </IntlProvider>
  );
}

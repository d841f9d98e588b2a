/** A full-page answer for a status (404, 403, 500): the number, what happened, and the way on. */
export function StatusPage({
  status,
  title,
  text,
  href,
  linkText,
  children,
}: {
  status: number;
  title: string;
  text: string;
  href: string;
  linkText: string;
  /** More ways on (a retry), after the link. */
  children?: React.ReactNode;
}) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col items-start justify-center gap-4 p-6">
      <p className="text-6xl font-bold text-roast" aria-hidden="true">
        {status}
      </p>
      <h1 className="text-2xl font-bold">{title}</h1>
      <p>{text}</p>
      {/* A plain link: the error page uses this too, and every page ships that (no router link code). */}
      <a href={href} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
        {linkText}
      </a>
      {children}
    </main>
  );
}

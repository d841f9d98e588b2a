"use client";

// The root layout itself failed: no layout, no language known, so both languages, plainly.
import "./globals.css";

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="ru">
      <body className="min-h-screen bg-crema text-espresso antialiased">
        <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col items-start justify-center gap-4 p-6">
          <h1 className="text-2xl font-bold">Что-то пошло не так</h1>
          <p>Страница не открылась из-за ошибки на нашей стороне. Попробуйте ещё раз через минуту.</p>
          <p lang="en">Something went wrong on our side. Please try again in a minute.</p>
          {/* The whole page again: nothing of the failed one can be reused. */}
          <button
            type="button"
            onClick={() => window.location.reload()}
            className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema"
          >
            Попробовать снова / <span lang="en">Try again</span>
          </button>
          {error.digest ? (
            <p className="text-sm">
              Код для поддержки / <span lang="en">Reference</span>: <code>{error.digest}</code>
            </p>
          ) : null}
        </main>
      </body>
    </html>
  );
}

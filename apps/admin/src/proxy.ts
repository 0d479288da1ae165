import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "./env.ts";
import { isHttps, isLoopbackHost, securityHeaders } from "./server/security-headers.ts";

// Next.js 16's request proxy (formerly middleware; Node.js runtime). Every response gets the
// security headers and a fresh CSP nonce; Next.js reads the nonce from the request's CSP header
// and puts it on the scripts it renders (pages are rendered per request: they read the session).

export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  // The development session secret is public (it is in the repository): a server signing cookies
  // with it answers only requests addressed to localhost, never the network.
  if (env.developmentSecret && !isLoopbackHost(request.headers.get("host"))) {
    return new NextResponse(
      "This Kassa server runs with the development session secret and answers only on localhost. Set KASSA_SESSION_SECRET (32+ random characters) to serve other addresses.\n",
      { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    secure: isHttps(request.headers),
    development: env.nodeEnv === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"] ?? "");
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but the build's static files (immutable, served without a page around them).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

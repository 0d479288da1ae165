// The headers every response of the admin app carries (set by src/proxy.ts), as one pure function
// so they are unit-tested apart from Next.js.

export interface SecurityHeadersInput {
  /** A fresh random value per request: Next.js puts it on its own <script> tags. */
  nonce: string;
  /** The request came over HTTPS (x-forwarded-proto): HSTS and upgrade-insecure-requests. */
  secure: boolean;
  /** `next dev`: React needs eval for its dev tooling, and the HMR socket connects over ws:. */
  development: boolean;
}

/** The Content-Security-Policy of one response. */
export function contentSecurityPolicy({ nonce, secure, development }: SecurityHeadersInput): string {
  return [
    "default-src 'self'",
    // Only scripts carrying this response's nonce run, and what they load ('strict-dynamic'):
    // an injected <script> or inline handler does not.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Styles may be inline: the charts (recharts) and React set style attributes, which a nonce
    // cannot cover. Styles cannot run code; scripts are the boundary.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Every security header of one response (names lower-case). */
export function securityHeaders(input: SecurityHeadersInput): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(input),
    "x-content-type-options": "nosniff",
    // Other sites learn the origin at most, never a dashboard path (receipt and till ids).
    "referrer-policy": "strict-origin-when-cross-origin",
    // For browsers that predate frame-ancestors.
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()",
    // HSTS only over HTTPS: sent over plain http it is ignored, and a LAN install has no certificate.
    ...(input.secure ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Whether the request reached us over HTTPS, as the proxy in front (or Next.js) says. */
export function isHttps(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** Whether the request was addressed to this machine's loopback (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : (host.split(":")[0] ?? "");
  return name === "localhost" || name === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** The dashboard session cookie: HTTP-only, SameSite=Lax, signed (see session-token.ts). */
export const SESSION_COOKIE = "kassa_session";

/** The value of cookie `name` in a `Cookie` request header, or undefined. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

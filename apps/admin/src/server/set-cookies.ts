import { cookies } from "next/headers";

/**
 * Applies `Set-Cookie` values (as better-auth made them for a sign-in or sign-out) to the server
 * action's response through Next.js's cookie store, attributes included.
 */
export async function applySetCookies(setCookies: string[]): Promise<void> {
  const store = await cookies();
  for (const header of setCookies) {
    const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq);
    const value = decodeURIComponentSafe(pair.slice(eq + 1));
    const options: Parameters<typeof store.set>[2] = {};
    for (const attribute of attributes) {
      const [key = "", raw = ""] = attribute.split("=");
      switch (key.toLowerCase()) {
        case "max-age":
          options.maxAge = Number(raw);
          break;
        case "path":
          options.path = raw;
          break;
        case "httponly":
          options.httpOnly = true;
          break;
        case "secure":
          options.secure = true;
          break;
        case "samesite":
          options.sameSite = raw.toLowerCase() as "lax" | "strict" | "none";
          break;
        case "expires":
          options.expires = new Date(raw);
          break;
      }
    }
    store.set(name, value, options);
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

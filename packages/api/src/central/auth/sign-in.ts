import { AppError, zodFieldErrors } from "../../errors.ts";
import { isSecureRequest, type KassaAuth } from "./kassa-auth.ts";
import { ZSignInInput } from "./sign-in.types.ts";

export interface SignInResult {
  user: { id: string; email: string; name: string };
  /** `Set-Cookie` values to send back (the session cookie), as better-auth made them. */
  setCookies: string[];
}

export interface SignInRequest {
  /** The browser's request headers (protocol, user agent; the cookie options follow them). */
  headers: Headers;
  /** The client's address, for the per-address throttle (clientAddress); null = not known. */
  address: string | null;
}

const WRONG = "The email or password is wrong. Check both and try again.";

/**
 * better-auth's answer as an error with an HTTP status (its APIError). Recognised by shape, not
 * `instanceof`: a bundler may load better-auth's error class in more than one copy (Next.js does,
 * per server layer), and then the class the catch compares with is not the one that was thrown.
 */
function apiErrorStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || (error as { name?: unknown }).name !== "APIError") {
    return undefined;
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? status : undefined;
}

/** "2 minutes" / "45 seconds": how long to wait, in the words the message uses. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function throttled(seconds: number): AppError {
  return new AppError("USER_LOCKED", {
    message: `Too many failed sign-ins for this account or from this network. Wait ${waitText(seconds)} and try again.`,
    retryAfterSeconds: seconds,
  });
}

/**
 * Signs in with email and password: the attempt is counted first, and refused without checking
 * the password when the account or the address is over its limit (USER_LOCKED with
 * retryAfterSeconds), else checked by better-auth
 * (Kassa's scrypt; an unknown email costs one scrypt too, and both answer UNAUTHORIZED with the
 * same words, so neither the answer nor its time says which emails have accounts). A failure is
 * counted in the shared throttle; the failure that reaches the limit is answered with the wait.
 */
export async function signIn(auth: KassaAuth, input: unknown, request: SignInRequest): Promise<SignInResult> {
  const parsed = ZSignInInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Enter an email address and a password.",
      fieldErrors: zodFieldErrors(parsed.error),
    });
  }
  const { email, password } = parsed.data;
  // Counted before the password is checked: parallel guesses cannot all slip past the limit.
  const reservation = await auth.throttle.reserve(email, request.address);
  if (reservation.wait > 0) throw throttled(reservation.wait);

  const betterAuth = auth.forRequest(isSecureRequest(request.headers));
  try {
    const { headers, response } = await betterAuth.api.signInEmail({
      body: { email, password },
      headers: request.headers,
      returnHeaders: true,
    });
    await auth.throttle.recordSuccess(reservation);
    return {
      user: { id: response.user.id, email: response.user.email, name: response.user.name },
      setCookies: headers.getSetCookie(),
    };
  } catch (error) {
    if (apiErrorStatus(error) !== 401) throw error;
    const blocked = await auth.throttle.recordFailure(reservation);
    if (blocked > 0) throw throttled(blocked);
    throw new AppError("UNAUTHORIZED", { message: WRONG });
  }
}

/**
 * Ends the session the request's cookie names (its row is deleted: a copy of the cookie is
 * refused from then on, on every instance) and returns the `Set-Cookie` values that clear it.
 * Without a valid session it only clears the cookie.
 */
export async function signOut(auth: KassaAuth, headers: Headers): Promise<string[]> {
  const betterAuth = auth.forRequest(isSecureRequest(headers));
  try {
    const result = await betterAuth.api.signOut({ headers, returnHeaders: true });
    return result.headers.getSetCookie();
  } catch (error) {
    if (apiErrorStatus(error) !== undefined) return [];
    throw error;
  }
}

/**
 * The client's address for the per-address throttle: the `x-forwarded-for` entry written by the
 * outermost of `trustedProxyHops` proxies in front of Kassa (1: the nearest proxy's, the last entry;
 * without a proxy Next.js writes the socket's address there — unless the client sent the header
 * itself, which it then wrote whole). Null when no proxy is trusted (0) or the entry is missing:
 * then only the per-account limit applies, since one shared bucket would let one client lock
 * everyone out.
 */
export function clientAddress(headers: Headers, trustedProxyHops = 1): string | null {
  if (trustedProxyHops < 1) return null;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.at(-trustedProxyHops) ?? null;
}

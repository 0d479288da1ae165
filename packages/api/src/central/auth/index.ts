// Dashboard sign-in: better-auth on Kassa's tables (kassa-auth.ts), the shared throttle, sessions,
// and the account functions the admin pages use.
export {
  type BetterAuthInstance,
  createKassaAuth,
  isSecureRequest,
  type KassaAuth,
  type KassaAuthOptions,
  kassaAuthFor,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  signedSessionCookie,
} from "./kassa-auth.ts";
export { type DashboardSession, sessionFromHeaders } from "./session.ts";
export { sessionFromContext } from "./session-from-context.ts";
export {
  clientAddress,
  type SignInRequest,
  type SignInResult,
  signIn,
  signOut,
  waitText,
} from "./sign-in.ts";
export { type TSignInInput, ZSignInInput } from "./sign-in.types.ts";
export { signedInContext, TEST_SESSION_SECRET, testSessionCookie } from "./testing.ts";
export {
  createSignInThrottle,
  DEFAULT_SIGN_IN_THROTTLE,
  type SignInThrottle,
  type SignInThrottleOptions,
} from "./throttle.ts";
export {
  CREDENTIAL_PROVIDER,
  createUser,
  revokeUserSessions,
  setUserPassword,
  type TNewUser,
  ZNewPassword,
  ZNewUser,
} from "./users.ts";

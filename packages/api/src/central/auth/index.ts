export { readCookie, SESSION_COOKIE } from "./cookie.ts";
export { sessionFromContext } from "./session-from-context.ts";
export {
  createSessionToken,
  type DashboardSession,
  readSessionToken,
  SESSION_TTL_MS,
} from "./session-token.ts";
export { type SignInResult, signIn } from "./sign-in.ts";
export { type TSignInInput, ZSignInInput } from "./sign-in.types.ts";
export {
  CREDENTIAL_PROVIDER,
  createUser,
  revokeUserSessions,
  setUserPassword,
  type TNewUser,
  ZNewPassword,
  ZNewUser,
} from "./users.ts";

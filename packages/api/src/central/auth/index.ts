export { readCookie, SESSION_COOKIE } from "./cookie.ts";
export { createDashboardContext, type DashboardContext, sessionFromContext } from "./dashboard-context.ts";
export {
  createSessionToken,
  type DashboardSession,
  readSessionToken,
  SESSION_TTL_MS,
} from "./session-token.ts";
export { type SignInResult, signIn } from "./sign-in.ts";
export { type TSignInInput, ZSignInInput } from "./sign-in.types.ts";

// An account only the sign-in throttling spec uses: it is locked out on purpose, so no other spec
// may depend on signing in with it.
export const THROTTLED_ACCOUNT = {
  email: "throttled@kassa.local",
  password: "throttled-e2e-password",
} as const;

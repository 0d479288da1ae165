// Seed factories for tests, the demo and e2e: sensible defaults, every field overridable, fresh ids.
export { canonicalHash } from "./canonical-hash.ts";
export { type SeedBreakerTransitionInput, seedBreakerTransition } from "./seed-breaker-transition.ts";
export {
  type SeedOrganizationInput,
  type SeedStoreInput,
  seedOrganization,
  seedStore,
} from "./seed-organization.ts";
export {
  type SeedReceiptInput,
  type SeedReceiptLine,
  type SeedReceiptPayment,
  seedReceipt,
} from "./seed-receipt.ts";
export {
  type SeedCashMovementInput,
  type SeedShiftCash,
  type SeedShiftInput,
  seedCashMovement,
  seedShift,
} from "./seed-shift.ts";
export { type SeededTerminal, type SeedTerminalInput, seedTerminal } from "./seed-terminal.ts";
export { type SeededUser, type SeedUserInput, seedUser } from "./seed-user.ts";

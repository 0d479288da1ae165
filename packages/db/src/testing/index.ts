// For other packages' tests: isolated central databases. Not for production code.
export {
  createTestCentralDatabase,
  type TestCentralDatabaseOptions,
} from "./create-test-central-database.ts";
export { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-postgres.ts";

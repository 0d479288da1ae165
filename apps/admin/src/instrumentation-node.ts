import { getEnv } from "./env.ts";

// Validate the environment at start-up, so a missing or bad setting stops `next start` with one
// clear line instead of failing the first request.
try {
  getEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

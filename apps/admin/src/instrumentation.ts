// Next.js calls register() once when a server instance starts: validate the environment there, so a
// missing or bad setting stops `next start` with one clear line instead of failing the first request.
// NEXT_RUNTIME is set by Next.js itself (not configuration), so reading it here is no exception to env.ts.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("./env.ts");
  try {
    getEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// Next.js calls register() once when a server instance starts. The Node.js work lives in its own
// module, imported only under the nodejs runtime, so the Edge build never sees process.exit.
// (NEXT_RUNTIME is set by Next.js itself, not configuration: no exception to env.ts.)
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./instrumentation-node.ts");
  }
}

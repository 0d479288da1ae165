import { centralRouter, createCentralContext } from "@kassa/api/central";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db.ts";
import { createQueryClient } from "./query-client.ts";

// Server components only (next/headers): the dashboard's procedures called in-process, no HTTP hop,
// with the request's cookies, so the first paint has data (create-t3-turbo apps/nextjs/src/trpc/server.tsx).

const createContext = cache(async () =>
  createCentralContext({
    db: await getDb(),
    headers: new Headers(await headers()),
    auth: await getAuth(),
  }),
);

/** One QueryClient per request, shared by the layout and the page. */
export const getQueryClient = cache(createQueryClient);

/** `trpc.dashboard.fleet.list.queryOptions()` on the server: the same keys the client reads. */
export const trpc = createTRPCOptionsProxy({
  router: centralRouter,
  ctx: createContext,
  queryClient: getQueryClient,
});

/**
 * Starts a query on the server without awaiting it; `<HydrateClient>` streams its result (or its
 * error, which the client's useSuspenseQuery throws to error.tsx) to the browser's cache.
 */
// biome-ignore lint/suspicious/noExplicitAny: accepts the options of any procedure, as create-t3-turbo does
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  const queryClient = getQueryClient();
  if (queryOptions.queryKey[1]?.type === "infinite") {
    // biome-ignore lint/suspicious/noExplicitAny: the infinite options are the same object, typed apart
    void queryClient.prefetchInfiniteQuery(queryOptions as any);
  } else {
    void queryClient.prefetchQuery(queryOptions);
  }
}

/** Hands what this request prefetched to the client cache. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

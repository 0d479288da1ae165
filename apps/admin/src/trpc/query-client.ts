import { defaultShouldDehydrateQuery, QueryCache, QueryClient } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import superjson from "superjson";

export function isUnauthorized(error: unknown): boolean {
  return isTRPCClientError(error) && error.data?.code === "UNAUTHORIZED";
}

/**
 * One QueryClient recipe for the server (one per request) and the browser (one per tab), so what the
 * server prefetched hydrates into the same keys (create-t3-turbo's query-client.ts). Data crosses as
 * superjson: money is bigint, times are Dates.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    // A session that expired while the page was open sends the user to sign in again.
    queryCache: new QueryCache({
      onError: (error) => {
        if (typeof window !== "undefined" && isUnauthorized(error)) window.location.assign("/login");
      },
    }),
    defaultOptions: {
      queries: {
        // Above 0 so the client does not refetch at once what the server has just rendered.
        staleTime: 2_000,
        retry: (failures, error) => !isUnauthorized(error) && failures < 2,
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Pending queries are streamed too: the page renders while a slow query finishes.
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
        // The dashboard's errors are AppErrors meant for its users (FORBIDDEN, NOT_FOUND): error.tsx shows them.
        shouldRedactErrors: () => false,
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

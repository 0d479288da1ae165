"use client";

import type { CentralRouter } from "@kassa/api/central";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, isTRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";

export const { TRPCProvider, useTRPC } = createTRPCContext<CentralRouter>();

function isUnauthorized(error: unknown): boolean {
  return isTRPCClientError(error) && error.data?.code === "UNAUTHORIZED";
}

function makeQueryClient() {
  return new QueryClient({
    // A session that expired while the page was open sends the user to sign in again.
    queryCache: new QueryCache({
      onError: (error) => {
        if (isUnauthorized(error)) window.location.assign("/login");
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        retry: (failures, error) => !isUnauthorized(error) && failures < 2,
      },
    },
  });
}

export function TrpcReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<CentralRouter>({
      // maxItems: the server refuses larger batches (MAX_BATCH_CALLS in @kassa/api/central).
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 10 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

import { QueryClient } from '@tanstack/react-query';

/**
 * TanStack Query over the SDK. The SDK already retries queries (network failures, 5xx,
 * SUBGRAPH_UNAVAILABLE, RATE_LIMITED after Retry-After), so the cache does not retry again.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: 10_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

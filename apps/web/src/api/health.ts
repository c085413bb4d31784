import { healthResponseSchema } from '@mamori/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './client.js';

/** `GET /api/health`: 200 `{ status: 'ok' }` when the server and its database answer. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet('/health', healthResponseSchema, { signal }),
    refetchInterval: 60_000,
    retry: false,
  });
}

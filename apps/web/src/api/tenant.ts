import { tenantInfoSchema } from '@mamori/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './client.js';

/** `GET /api/tenant`: the municipality this install (or `/t/{code}`) serves. */
export function useTenant() {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: ({ signal }) => apiGet('/tenant', tenantInfoSchema, { signal }),
    staleTime: Infinity,
    retry: false,
  });
}

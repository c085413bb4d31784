import { packVocabularySchema } from '@mamori/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client.js';

/** `GET /api/policy-pack/vocabulary` (apps/server/src/modules/policy-pack), relative to /api. */
export const packVocabularyPath = '/policy-pack/vocabulary';

/** The query key of the vocabulary (one tenant per page load, so no tenant in the key). */
export const packVocabularyQueryKey = ['policy-pack', 'vocabulary'] as const;

/**
 * The tenant's policy-pack vocabulary (issue 5): role titles, unit kinds, employment kinds and
 * zones as the tenant's own pack names them. A pack changes only with a deployment, so it is
 * fetched once and kept.
 */
export function usePackVocabulary() {
  return useQuery({
    queryKey: packVocabularyQueryKey,
    queryFn: ({ signal }) => apiGet(packVocabularyPath, packVocabularySchema, { signal }),
    staleTime: 60 * 60_000,
    gcTime: Infinity,
  });
}

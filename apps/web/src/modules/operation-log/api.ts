import {
  logReviewCreatedSchema,
  logReviewListSchema,
  operationLogPageSchema,
  operationLogVerificationSchema,
  type LogReviewCreate,
  type OperationLogExportQuery,
  type OperationLogQuery,
} from '@mamori/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBasePath, apiGet, apiSend } from '../../api/client.js';

/** The viewer's filter (every field optional; empty strings are left out of the query). */
export type OperationLogFilter = Omit<OperationLogQuery, 'beforeSeq' | 'limit'>;

/** `?a=1&b=2` from the non-empty values. */
export function queryString(values: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

const PAGE_SIZE = 100;

/** `GET /api/operation-log`, newest first, one page of 100 at a time (keyset on seq). */
export function useOperationLog(filter: OperationLogFilter) {
  return useInfiniteQuery({
    queryKey: ['operation-log', filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      apiGet(
        `/operation-log${queryString({ ...filter, beforeSeq: pageParam, limit: PAGE_SIZE })}`,
        operationLogPageSchema,
        { signal },
      ),
    getNextPageParam: (last) => last.nextBeforeSeq ?? undefined,
  });
}

/** The URL that downloads the filtered log as CSV (a plain GET: the session cookie authorizes it). */
export function operationLogExportUrl(query: OperationLogExportQuery): string {
  return `${apiBasePath}/operation-log/export${queryString({ ...query })}`;
}

/** `POST /api/operation-log/verification`: chain, checkpoints and anchored records. */
export function useVerifyOperationLog() {
  return useMutation({
    mutationFn: (checkpointsText: string | undefined) =>
      apiSend(
        'POST',
        '/operation-log/verification',
        checkpointsText === undefined ? {} : { checkpointsText },
        operationLogVerificationSchema,
      ),
  });
}

/** `GET /api/operation-log/reviews`: the periodic reviews (std-7.1.6.3) and the next due date. */
export function useLogReviews() {
  return useQuery({
    queryKey: ['operation-log', 'reviews'],
    queryFn: ({ signal }) => apiGet('/operation-log/reviews', logReviewListSchema, { signal }),
  });
}

/** `POST /api/operation-log/reviews`: records a review of a range of the log. */
export function useRecordLogReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LogReviewCreate) =>
      apiSend('POST', '/operation-log/reviews', input, logReviewCreatedSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: ['operation-log'] }),
  });
}

import { taskSchema, tasksPageSchema, type ListTasksQuery } from '@mamori/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPath, apiSend } from '../../api/client.js';
import { queryString } from '../operation-log/api.js';

/** The platform task API (apps/server/src/platform/tasks/tasks.routes.ts), relative to /api. */
export const taskPaths = {
  tasks: '/tasks',
  complete: '/tasks/:taskId/complete',
  cancel: '/tasks/:taskId/cancel',
} as const;

export type TaskListFilter = Pick<ListTasksQuery, 'view' | 'status'>;

/** Follow-up tasks: the caller's own (or their 課's for a security_manager). */
export function useTasks(filter: TaskListFilter) {
  return useQuery({
    queryKey: ['tasks', filter],
    queryFn: ({ signal }) =>
      apiGet(`${taskPaths.tasks}${queryString({ ...filter })}`, tasksPageSchema, { signal }),
  });
}

/** Completes (or cancels) a task with a note. */
export function useCloseTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      taskId,
      verb,
      note,
    }: {
      taskId: string;
      verb: 'complete' | 'cancel';
      note: string;
    }) =>
      apiSend(
        'POST',
        apiPath(verb === 'complete' ? taskPaths.complete : taskPaths.cancel, { taskId }),
        { note: note.trim() === '' ? undefined : note },
        taskSchema,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

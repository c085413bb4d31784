import { z } from 'zod';
import { abilitiesSchema } from './permissions.js';
import { optionalText } from './text.js';

/**
 * The one platform task entity: every follow-up the policy demands (return of
 * assets and IC cards on leaving, std-6.1.1.8; later findings, reviews …).
 */
export const taskStatusSchema = z.enum(['open', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  owner: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('person'), personId: z.uuid(), name: z.string() }),
    z.object({ kind: z.literal('unit'), unitId: z.uuid(), name: z.string() }),
  ]),
  dueDate: z.iso.date().nullable(),
  source: z.object({ type: z.string(), id: z.string() }),
  /** The clause that demands the follow-up (e.g. std-6.1.1.8). */
  clause: z.string(),
  status: taskStatusSchema,
  completedAt: z.iso.datetime({ offset: true }).nullable(),
  resolutionNote: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  abilities: abilitiesSchema,
});
export type TaskView = z.infer<typeof taskSchema>;

export const listTasksQuerySchema = z.object({
  /** `mine`: owned by me or my units; `unit`: a 課 I act for (security_manager) or any (admins). */
  view: z.enum(['mine', 'unit']).default('mine'),
  unitId: z.uuid().optional(),
  status: taskStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const tasksPageSchema = z.object({ items: z.array(taskSchema) });

export const closeTaskSchema = z.object({ note: optionalText(2000) });

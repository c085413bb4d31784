import { sql } from 'drizzle-orm';
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The one task entity for every follow-up the policy demands (return of
 * assets and IC cards on leaving, std-6.1.1.8; later: findings, reviews …).
 * Later issues reuse it, never a second kind of task. `owner_person_id`
 * points at a person of the organization (no FK: platform tables do not
 * depend on modules; the service checks it).
 */
export const tasks = pgTable(
  'tasks',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    title: text('title').notNull(),
    description: text('description'),
    ownerPersonId: uuid('owner_person_id'),
    // A unit that owns the task when no single person does (e.g. the PoC).
    ownerUnitId: uuid('owner_unit_id'),
    dueDate: date('due_date'),
    // What created it: e.g. personnel_event, finding, approval_request.
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    // The clause that demands the follow-up (std-6.1.1.8 …).
    clause: text('clause').notNull(),
    // open | done | cancelled
    status: text('status').notNull().default('open'),
    completedAt: instant('completed_at'),
    completedBy: uuid('completed_by'),
    resolutionNote: text('resolution_note'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('tasks_owner').on(t.tenantId, t.ownerPersonId, t.status),
    index('tasks_source').on(t.tenantId, t.sourceType, t.sourceId),
  ],
);

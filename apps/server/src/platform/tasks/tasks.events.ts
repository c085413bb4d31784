import type { TenantTx } from '../db/database.js';
import { recordOperation, type Actor, type LoggedEntry } from '../oplog/oplog.service.js';

/** The tasks' operation-log events (house style 4). */
export type TaskEvent =
  | {
      readonly action: 'tasks.created';
      readonly subject: { readonly type: 'task'; readonly id: string };
      readonly payload: {
        title: string;
        ownerPersonId: string | null;
        ownerUnitId: string | null;
        dueDate: string | null;
        source: { type: string; id: string };
        clause: string;
      };
    }
  | {
      readonly action: 'tasks.completed' | 'tasks.cancelled';
      readonly subject: { readonly type: 'task'; readonly id: string };
      readonly payload: { note: string | null };
    };

/** Appends a task event (the transaction's last statement). */
export function recordTaskEvent(
  tx: TenantTx,
  actor: Actor,
  event: TaskEvent,
): Promise<LoggedEntry> {
  return recordOperation(tx, actor, event);
}

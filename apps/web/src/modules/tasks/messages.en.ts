import type { tasksJa } from './messages.ja.js';

/** English messages of the tasks module: the same keys as messages.ja.ts. */
export const tasksEn: typeof tasksJa = {
  title: 'Tasks',
  description:
    'Follow-ups the policy requires (such as returning assets and IC cards on leaving). Check the due date and the clause, then act.',
  view: 'Tasks to show',
  views: {
    mine: 'My tasks',
    unit: 'Tasks of the sections I manage',
  },
  statusFilter: 'Status',
  statuses: {
    open: 'Open',
    done: 'Done',
    cancelled: 'Cancelled',
  },
  caption: 'Tasks',
  empty: 'No tasks.',
  taskTitle: 'Title',
  owner: 'Owner',
  dueDate: 'Due',
  noDueDate: 'None',
  overdue: 'Overdue',
  clause: 'Clause',
  status: 'Status',
  actions: 'Actions',
  complete: 'Mark done',
  cancel: 'Cancel',
  completeTitle: 'Mark the task done',
  cancelTitle: 'Cancel the task',
  note: 'Note on what was done (optional)',
  submitComplete: 'Mark done',
  submitCancel: 'Cancel task',
  completedAt: 'Completed: {{time}}',
  close: 'Close',
  cardHeading: 'My tasks',
  cardOpen: 'You have {{count}} open tasks.',
  cardNone: 'No open tasks.',
  cardLink: 'Go to tasks',
};

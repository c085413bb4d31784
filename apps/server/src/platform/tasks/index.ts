export {
  cancelTask,
  canSeeTask,
  completeTask,
  createTask,
  listManagedTasks,
  listOwnTasks,
  presentTask,
  taskAbilities,
  tasksOfSource,
  type CreateTaskInput,
  type TaskAudience,
} from './tasks.service.js';
export type { TaskRow } from './tasks.repository.js';
export { taskRoutes, type TaskDirectory } from './tasks.routes.js';

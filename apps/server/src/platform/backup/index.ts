export { createBackup, type BackupResult, type CreateBackupOptions } from './create-backup.js';
export {
  restoreBackup,
  type KeyFileOutcome,
  type RestoreBackupOptions,
  type RestoredTenant,
  type RestoreResult,
} from './restore-backup.js';
export type { BackupManifest } from './manifest.js';

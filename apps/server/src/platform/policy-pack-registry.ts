import path from 'node:path';
import { loadPolicyPack, PolicyPackError, type LoadedPolicyPack } from './policy-pack/index.js';

export { PolicyPackError as PolicyPackLoadError };

/** The packs a process uses: the default one loaded at start, others on demand. */
export interface PolicyPackRegistry {
  readonly default: LoadedPolicyPack;
  /** The pack with this id (loaded and validated once); throws PolicyPackError if invalid. */
  get(id: string): Promise<LoadedPolicyPack>;
}

/**
 * Loads and validates the default pack; an invalid pack stops start-up with a
 * message naming file, path and problem.
 */
export async function loadPolicyPackRegistry(
  rootDir: string,
  defaultId: string,
): Promise<PolicyPackRegistry> {
  const cache = new Map<string, Promise<LoadedPolicyPack>>();
  const get = (id: string): Promise<LoadedPolicyPack> => {
    if (!/^[a-z][a-z0-9-]*$/.test(id)) return Promise.reject(new Error(`not a pack id: ${id}`));
    const cached = cache.get(id);
    if (cached) return cached;
    const loading = loadPolicyPack(path.join(rootDir, id));
    cache.set(id, loading);
    loading.catch(() => cache.delete(id));
    return loading;
  };
  const def = await get(defaultId);
  return { default: def, get };
}

export { hashPolicyPackFiles, type PackFileBytes } from './content-hash.js';
export {
  listPolicyPacks,
  loadPolicyPack,
  type LoadedPolicyPack,
  type PolicyPackSummary,
} from './load-policy-pack.js';
export { PolicyPackError } from './policy-pack-error.js';

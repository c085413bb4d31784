import { formatPolicyPackIssue, type PolicyPackIssue } from '@mamori/policy';

/**
 * A policy pack that cannot be used. The message lists every problem, one a
 * line, as `<file>: <path>: <problem>`; `issues` holds them structured.
 */
export class PolicyPackError extends Error {
  override readonly name = 'PolicyPackError';

  constructor(
    /** The pack folder (or the folder of packs, for a listing). */
    readonly dir: string,
    readonly issues: readonly PolicyPackIssue[],
  ) {
    const count = issues.length === 1 ? '1 problem' : `${String(issues.length)} problems`;
    super(
      `Invalid policy pack ${dir} (${count}):\n${issues.map((issue) => `  ${formatPolicyPackIssue(issue)}`).join('\n')}`,
    );
  }
}

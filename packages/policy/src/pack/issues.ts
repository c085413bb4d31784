import type { z } from 'zod';

/**
 * One problem found in a policy pack: the file (relative to the pack folder),
 * the path inside the file (`axes.confidentiality.levels[2].inherits`) and what
 * is wrong. `line` (and `column`, for YAML syntax errors) is filled in by the
 * loader when it can locate the problem in the file.
 */
export interface PolicyPackIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The path shown for a problem of a whole file (missing, unreadable, not a mapping). */
export const WHOLE_FILE_PATH = '(file)';

/**
 * Formats path segments the way pack issues show them: object keys joined by
 * dots, array indexes in brackets (`settings[3].default.unit`).
 */
export function formatIssuePath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${String(segment)}]`;
    } else {
      const key = typeof segment === 'symbol' ? segment.toString() : segment;
      path += path === '' ? key : `.${key}`;
    }
  }
  return path === '' ? WHOLE_FILE_PATH : path;
}

/**
 * Splits a formatted path back into segments (the inverse of
 * {@link formatIssuePath} for paths whose keys contain no `.` or `[`).
 */
export function parseIssuePath(path: string): (string | number)[] {
  if (path === WHOLE_FILE_PATH) return [];
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

/** Formats an issue as one line: `<file>: <path>: <problem>` (plus the line when known). */
export function formatPolicyPackIssue(issue: PolicyPackIssue): string {
  const where =
    issue.line === undefined
      ? ''
      : issue.column === undefined
        ? ` (line ${String(issue.line)})`
        : ` (line ${String(issue.line)}, column ${String(issue.column)})`;
  return `${issue.file}: ${issue.path}: ${issue.message}${where}`;
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required (expected ${issue.expected})`;
  }
  return issue.message.replace(/^Invalid (?:input|option): /, '');
}

/**
 * Turns zod's issues for one file into pack issues. An unknown key is reported
 * at the key's own path (`levels[0].colour: unknown key`), one issue per key.
 */
export function zodIssuesToPackIssues(
  file: string,
  issues: readonly z.core.$ZodIssue[],
): PolicyPackIssue[] {
  const result: PolicyPackIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        result.push({ file, path: formatIssuePath([...issue.path, key]), message: 'unknown key' });
      }
    } else {
      result.push({ file, path: formatIssuePath(issue.path), message: describeZodIssue(issue) });
    }
  }
  return result;
}

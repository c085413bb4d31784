import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { parseIssuePath, type PolicyPackIssue } from '@mamori/policy';

/** The path shown for YAML syntax errors. */
const SYNTAX_PATH = '(yaml)';

/** A parsed YAML file that can locate a path's line. */
export interface YamlFile {
  readonly value: unknown;
  /** The 1-based line of a path in the file (or of its nearest existing parent). */
  lineOf(path: string): number | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the bytes of a pack file as YAML 1.2 (UTF-8, duplicate keys are
 * errors). Returns the value, or the first syntax error with its line and column.
 */
export function parseYamlFile(
  file: string,
  bytes: Uint8Array,
): { ok: true; yaml: YamlFile } | { ok: false; issues: PolicyPackIssue[] } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, issues: [{ file, path: '(file)', message: 'not valid UTF-8' }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    // Later syntax errors usually follow from the first one: report that one, where it is.
    const pos = lineCounter.linePos(first.pos[0]);
    return {
      ok: false,
      issues: [
        { file, path: SYNTAX_PATH, message: first.message, line: pos.line, column: pos.col },
      ],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ file, path: SYNTAX_PATH, message }] };
  }
  return {
    ok: true,
    yaml: { value, lineOf: (path) => locate(doc, lineCounter, parseIssuePath(path)) },
  };
}

function locate(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly (string | number)[],
): number | undefined {
  // Walk up from the full path to the nearest part that exists in the file.
  for (let length = segments.length; length >= 1; length--) {
    const path = segments.slice(0, length);
    const last = path[length - 1];
    if (typeof last === 'string') {
      // Point at the key itself (`inherits:`), which exists even when its value is odd.
      const parent = length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
        if (pair !== undefined && isScalar(pair.key) && pair.key.range) {
          return lineCounter.linePos(pair.key.range[0]).line;
        }
      }
    } else {
      const node = doc.getIn(path, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

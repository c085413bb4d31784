import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Props whose string values users read or hear. */
const textProps = new Set([
  'alt',
  'aria-description',
  'aria-label',
  'aria-valuetext',
  'description',
  'label',
  'placeholder',
  'title',
]);
const hasWords = /[\p{L}\p{N}]/u;

/** Text written straight into JSX instead of coming from i18n (`t('…')`). */
function findHardcodedText(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${fileName}:${line + 1} ${JSON.stringify(text.trim())}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords.test(node.text)) report(node, node.text);
    if (
      ts.isJsxAttribute(node) &&
      textProps.has(node.name.getText(file)) &&
      node.initializer !== undefined
    ) {
      const value = ts.isJsxExpression(node.initializer)
        ? node.initializer.expression
        : node.initializer;
      if (
        value !== undefined &&
        (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
        hasWords.test(value.text)
      ) {
        report(node, value.text);
      }
    }
    if (
      ts.isJsxExpression(node) &&
      node.expression !== undefined &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) &&
      (ts.isStringLiteral(node.expression) ||
        ts.isNoSubstitutionTemplateLiteral(node.expression)) &&
      hasWords.test(node.expression.text)
    ) {
      report(node, node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return componentFiles(path);
    return entry.name.endsWith('.tsx') && !entry.name.includes('.test.') ? [path] : [];
  });
}

describe('UI text comes from i18n', () => {
  it('finds text written into JSX (the check itself works)', () => {
    const source = `
      const a = <Button title="保存">保存する</Button>;
      const b = <Text aria-label={'Close'}>{'閉じる'}</Text>;
      const c = <Group>{t('ok')} {count} <span lang="en" /></Group>;
    `;
    expect(findHardcodedText('sample.tsx', source)).toEqual([
      'sample.tsx:2 "保存"',
      'sample.tsx:2 "保存する"',
      'sample.tsx:3 "Close"',
      'sample.tsx:3 "閉じる"',
    ]);
  });

  it('has no hard-coded text in any component', () => {
    const root = import.meta.dirname;
    const files = componentFiles(join(root, '..'));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((path) =>
      findHardcodedText(relative(join(root, '..'), path), readFileSync(path, 'utf8')),
    );
    expect(found).toEqual([]);
  });
});

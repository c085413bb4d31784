/**
 * Japanese messages of the operation-log module (i18n key `operationLog.*`), merged into
 * i18n/ja.ts. Labels use the policy's own terms (shared/docs/glossary.md).
 */
export const operationLogJa = {
  title: '操作ログ',
};

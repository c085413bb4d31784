/**
 * Japanese messages of the identity module (i18n key `identity.*`), merged into
 * i18n/ja.ts. Labels use the policy's own terms (shared/docs/glossary.md).
 */
export const identityJa = {
  title: 'ログイン',
};

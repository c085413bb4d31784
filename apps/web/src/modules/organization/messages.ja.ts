/**
 * Japanese messages of the organization module (i18n key `organization.*`), merged into
 * i18n/ja.ts. Labels use the policy's own terms (shared/docs/glossary.md).
 */
export const organizationJa = {
  title: '組織',
};

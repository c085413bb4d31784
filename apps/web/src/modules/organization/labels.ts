import { addDays, formatDate, toTokyoDate } from '@mamori/policy';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../../i18n/index.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';
import { organizationJa } from './messages.ja.js';

/*
 * Labels of the pack's identifiers (role ids, unit kinds, employment kinds, problem codes). The
 * identifiers are the glossary's; the labels are the policy's own terms (title_ja of roles.yaml,
 * label_ja of organization.yaml). An id the messages do not know (another pack) shows as itself.
 */

type RoleId = keyof typeof organizationJa.roleNames;
type UnitKindId = keyof typeof organizationJa.unitKinds;
type ProblemCode = keyof typeof organizationJa.problemCodes;
type ReorgProblemCode = keyof typeof organizationJa.reorganizations.problemCodes;

const isKeyOf = <T extends object>(tree: T, key: string): key is Extract<keyof T, string> =>
  Object.hasOwn(tree, key);

/** The role ids the UI knows, in the policy's order (対策基準2). */
export const knownRoleIds = Object.keys(organizationJa.roleNames) as RoleId[];

export function roleLabel(t: TFunction, role: string): string {
  return isKeyOf(organizationJa.roleNames, role) ? t(`organization.roleNames.${role}`) : role;
}

export function unitKindLabel(t: TFunction, kind: string): string {
  return isKeyOf(organizationJa.unitKinds, kind)
    ? t(`organization.unitKinds.${kind satisfies UnitKindId}`)
    : kind;
}

export function employmentLabel(t: TFunction, employment: string): string {
  return isKeyOf(organizationJa.employment, employment)
    ? t(`organization.employment.${employment}`)
    : employment;
}

/** The Japanese (or English) explanation of a role problem code, or null for an unknown code. */
export function problemExplanation(t: TFunction, code: string): string | null {
  return isKeyOf(organizationJa.problemCodes, code)
    ? t(`organization.problemCodes.${code satisfies ProblemCode}`)
    : null;
}

/** The explanation of a 組織改正 plan problem, or null for an unknown code. */
export function reorgProblemExplanation(t: TFunction, code: string): string | null {
  return isKeyOf(organizationJa.reorganizations.problemCodes, code)
    ? t(`organization.reorganizations.problemCodes.${code satisfies ReorgProblemCode}`)
    : null;
}

/** Today's date in Asia/Tokyo (`YYYY-MM-DD`). */
export function todayIso(): string {
  return toTokyoDate(new Date());
}

/** Formats calendar dates (`YYYY-MM-DD`) in the user's style (西暦 / 和暦) and language. */
export function useIsoDateFormat(): (isoDate: string) => string {
  const { i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  return (isoDate) => formatDate(isoDate, { calendar, locale: language });
}

/**
 * `from – to` of an effective-dated row. The API's `validTo` is exclusive (the first day it no
 * longer holds), so the last day shown is the day before; an open end reads 「現在」.
 */
export function usePeriodFormat(): (from: string, to: string | null) => string {
  const { t } = useTranslation();
  const formatIso = useIsoDateFormat();
  return (from, to) =>
    t('organization.period', {
      from: formatIso(from),
      to: to === null ? t('organization.openEnded') : formatIso(addDays(to, -1)),
    });
}

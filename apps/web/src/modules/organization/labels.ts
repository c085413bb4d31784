import type { PackVocabulary } from '@mamori/contracts';
import { addDays, formatDate, toTokyoDate } from '@mamori/policy';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../../i18n/index.js';
import type { Language } from '../../preferences/preferences.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';
import { organizationJa } from './messages.ja.js';
import { usePackVocabulary } from './pack-vocabulary.js';

/*
 * Labels of the pack's identifiers (role ids, unit kinds, employment kinds, zones) come from the
 * tenant's own policy pack (issue 5: no municipality's vocabulary in the code): the titles of its
 * roles.yaml, the labels of its organization.yaml and zones.yaml. An id the pack does not name
 * (or before the vocabulary has arrived) shows as itself. Problem-code explanations are Mamori's
 * own words and stay in the messages.
 */

type ProblemCode = keyof typeof organizationJa.problemCodes;
type ReorgProblemCode = keyof typeof organizationJa.reorganizations.problemCodes;

const isKeyOf = <T extends object>(tree: T, key: string): key is Extract<keyof T, string> =>
  Object.hasOwn(tree, key);

/** Labels of the tenant's pack identifiers, in the UI language. */
export interface PackLabels {
  /** A role's title, with the policy's abbreviation when it adds one (… （CISO）). */
  role(id: string): string;
  unitKind(id: string): string;
  employment(id: string): string;
  zone(id: string): string;
  /** The pack's role ids in its order (対策基準2); empty until the vocabulary has arrived. */
  readonly roleIds: readonly string[];
  /** The pack's unit kind ids in its order. */
  readonly unitKindIds: readonly string[];
}

function roleTitle(role: PackVocabulary['roles'][number], language: Language): string {
  const title = language === 'ja' ? role.titleJa : role.titleEn;
  const { abbreviation } = role;
  if (abbreviation === undefined || title.includes(abbreviation)) return title;
  return language === 'ja' ? `${title}（${abbreviation}）` : `${title} (${abbreviation})`;
}

/** The labels of `vocabulary` (undefined while loading) in `language`; unknown ids as themselves. */
export function packLabelsOf(
  vocabulary: PackVocabulary | undefined,
  language: Language,
): PackLabels {
  const byId = <T extends { id: string }>(
    items: readonly T[] | undefined,
    label: (item: T) => string,
  ) => {
    const map = new Map((items ?? []).map((item) => [item.id, label(item)]));
    return (id: string) => map.get(id) ?? id;
  };
  const labelOf = (item: { labelJa: string; labelEn: string }) =>
    language === 'ja' ? item.labelJa : item.labelEn;
  return {
    role: byId(vocabulary?.roles, (r) => roleTitle(r, language)),
    unitKind: byId(vocabulary?.unitKinds, labelOf),
    employment: byId(vocabulary?.employmentKinds, labelOf),
    zone: byId(vocabulary?.zones, labelOf),
    roleIds: vocabulary?.roles.map((r) => r.id) ?? [],
    unitKindIds: vocabulary?.unitKinds.map((k) => k.id) ?? [],
  };
}

/** The tenant's pack labels in the current UI language (see {@link packLabelsOf}). */
export function usePackLabels(): PackLabels {
  const { i18n } = useTranslation();
  const language = languageOf(i18n);
  const { data } = usePackVocabulary();
  return useMemo(() => packLabelsOf(data, language), [data, language]);
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

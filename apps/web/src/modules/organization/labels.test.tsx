import type { PackVocabulary } from '@mamori/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/index.js';
import type { Language } from '../../preferences/preferences.js';
import { packLabelsOf, usePackLabels } from './labels.js';
import { packVocabularyQueryKey } from './pack-vocabulary.js';

/** A fictional pack's vocabulary (issue 5: another municipality, other terms: 局/室/班). */
const kanagi: PackVocabulary = {
  pack: { id: 'test-kanagi', version: '1.0.0', nameJa: '仮名木市（架空）', nameEn: 'Kanagi' },
  roles: [
    {
      id: 'ciso',
      titleJa: '最高情報セキュリティ統括者',
      titleEn: 'Chief Information Security Executive',
      abbreviation: 'CISO',
      scope: 'tenant',
      cardinality: 'exactly_one',
      privileged: true,
      holderKind: 'person',
    },
    {
      id: 'csirt',
      titleJa: '仮名木市CSIRT',
      titleEn: 'Kanagi CSIRT',
      abbreviation: 'CSIRT',
      scope: 'tenant',
      cardinality: 'one_or_more',
      privileged: false,
      holderKind: 'person',
    },
    {
      id: 'security_manager',
      titleJa: '課情報セキュリティ管理者',
      titleEn: 'Section Security Manager',
      scope: 'section',
      cardinality: 'exactly_one',
      privileged: false,
      holderKind: 'person',
    },
  ],
  unitKinds: [
    {
      id: 'bureau',
      labelJa: '局',
      labelEn: 'Bureau',
      actsAs: 'department',
      mayBeOutOfScope: false,
    },
    { id: 'office', labelJa: '室', labelEn: 'Office', actsAs: 'section', mayBeOutOfScope: false },
  ],
  employmentKinds: [
    { id: 'non_regular', labelJa: '会計年度任用職員', labelEn: 'Fixed-term staff' },
  ],
  positionTitles: [],
  zones: [{ id: 'lgwan', labelJa: 'LGWAN接続系', labelEn: 'LGWAN-connected' }],
};

describe('packLabelsOf (issue 5: labels come from the tenant pack)', () => {
  it("labels ids with the pack's own terms in Japanese, abbreviations added once", () => {
    const labels = packLabelsOf(kanagi, 'ja');
    expect(labels.role('ciso')).toBe('最高情報セキュリティ統括者（CISO）');
    expect(labels.role('csirt')).toBe('仮名木市CSIRT');
    expect(labels.role('security_manager')).toBe('課情報セキュリティ管理者');
    expect(labels.unitKind('bureau')).toBe('局');
    expect(labels.employment('non_regular')).toBe('会計年度任用職員');
    expect(labels.zone('lgwan')).toBe('LGWAN接続系');
    expect(labels.roleIds).toEqual(['ciso', 'csirt', 'security_manager']);
    expect(labels.unitKindIds).toEqual(['bureau', 'office']);
  });

  it('labels in English when the UI is in English', () => {
    const labels = packLabelsOf(kanagi, 'en');
    expect(labels.role('ciso')).toBe('Chief Information Security Executive (CISO)');
    expect(labels.unitKind('office')).toBe('Office');
    expect(labels.zone('lgwan')).toBe('LGWAN-connected');
  });

  it('falls back to the id for an id the pack does not name (no Hokuto term assumed)', () => {
    const labels = packLabelsOf(kanagi, 'ja');
    // 課 is Hokuto's; this pack has none, so the id shows rather than a borrowed label.
    expect(labels.unitKind('section')).toBe('section');
    expect(labels.role('poc')).toBe('poc');
    expect(labels.employment('regular')).toBe('regular');
    expect(labels.zone('mynumber')).toBe('mynumber');
  });

  it('falls back to the id while the vocabulary has not arrived', () => {
    const labels = packLabelsOf(undefined, 'ja');
    expect(labels.role('ciso')).toBe('ciso');
    expect(labels.unitKind('bureau')).toBe('bureau');
    expect(labels.roleIds).toEqual([]);
    expect(labels.unitKindIds).toEqual([]);
  });
});

function Probe() {
  const labels = usePackLabels();
  return (
    <span>
      {[labels.role('ciso'), labels.unitKind('office'), labels.unitKind('section')].join('|')}
    </span>
  );
}

/** Renders the hook as a page would (query cache and i18n), without a browser. */
function renderProbe(language: Language, vocabulary: PackVocabulary | undefined): string {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (vocabulary) queryClient.setQueryData(packVocabularyQueryKey, vocabulary);
  return renderToString(
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={createI18n(language)}>
        <Probe />
      </I18nextProvider>
    </QueryClientProvider>,
  );
}

describe('usePackLabels', () => {
  it('reads the cached vocabulary in the UI language', () => {
    expect(renderProbe('ja', kanagi)).toContain('最高情報セキュリティ統括者（CISO）|室|section');
    expect(renderProbe('en', kanagi)).toContain(
      'Chief Information Security Executive (CISO)|Office|section',
    );
  });

  it('shows ids until the vocabulary is loaded', () => {
    expect(renderProbe('ja', undefined)).toContain('ciso|office|section');
  });
});

import type { PackVocabulary } from '@mamori/contracts';
import type { PolicyPack } from '@mamori/policy';

/**
 * The pack's vocabulary as the API shows it (issue 5): the UI labels role ids, unit kinds,
 * employment kinds and zones from the tenant's own pack, never from one municipality's terms.
 */
export function packVocabularyOf(pack: PolicyPack): PackVocabulary {
  const { manifest, roles, organization, zones } = pack;
  return {
    pack: {
      id: manifest.id,
      version: manifest.version,
      nameJa: manifest.name_ja,
      nameEn: manifest.name_en,
    },
    roles: roles.roles.map((r) => ({
      id: r.id,
      titleJa: r.title_ja,
      titleEn: r.title_en,
      ...(r.abbreviation === undefined ? {} : { abbreviation: r.abbreviation }),
      scope: r.scope,
      cardinality: r.cardinality,
      privileged: r.privileged,
      holderKind: r.holder_kind,
    })),
    unitKinds: organization.unit_kinds.map((k) => ({
      id: k.id,
      labelJa: k.label_ja,
      labelEn: k.label_en,
      actsAs: k.acts_as,
      mayBeOutOfScope: k.may_be_out_of_scope,
    })),
    employmentKinds: organization.employment_kinds.map((k) => ({
      id: k.id,
      labelJa: k.label_ja,
      labelEn: k.label_en,
    })),
    positionTitles: organization.position_titles.map((p) => ({
      id: p.id,
      labelJa: p.label_ja,
      labelEn: p.label_en,
      ...(p.head_of === undefined ? {} : { headOf: p.head_of }),
    })),
    zones: zones.zones.map((z) => ({ id: z.id, labelJa: z.name_ja, labelEn: z.name_en })),
  };
}

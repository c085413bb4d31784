import { isKanaReading } from '@mamori/contracts';
import type { PackUnitKind } from '@mamori/policy';
import { z } from 'zod';
import {
  booleanCell,
  dateCell,
  defineTabularSpec,
  enumCell,
  formatBoolean,
  integerCell,
  textCell,
  type TabularSpec,
} from '../../platform/tabular/index.js';

/*
 * The HR file forms of people (職員) and units (所属): Japanese headers as HR
 * systems write them, with the usual aliases, each cell checked by zod
 * (std-7.3.5.1). Export writes the same columns, so export → import round-trips.
 */

/** 雇用区分 as HR writes it; 非常勤 and 臨時 are both `non_regular` (glossary). */
export type EmploymentLabel = 'regular' | 'part_time' | 'temporary' | 'contractor';

export const EMPLOYMENT_OF_LABEL: Record<
  EmploymentLabel,
  'regular' | 'non_regular' | 'contractor_staff'
> = {
  regular: 'regular',
  part_time: 'non_regular',
  temporary: 'non_regular',
  contractor: 'contractor_staff',
};

/** One row of a people file. */
export interface PersonImportRow {
  employeeNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  unitCode: string;
  unitName?: string;
  positionTitle?: string;
  employment: EmploymentLabel;
  contractorName?: string;
  email?: string;
  effectiveDate?: string;
  leavingDate?: string;
}

/** フリガナ: katakana or hiragana, half-width ｶﾅ accepted; stored as full-width katakana. */
const kanaCell = (max: number) =>
  textCell(max)
    .transform((s) => s.normalize('NFKC'))
    .refine((s) => isKanaReading(s), {
      message: 'write the reading in kana',
      params: { message_ja: 'フリガナはカタカナ（またはひらがな）で入力してください' },
    })
    .transform((s) =>
      s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)),
    );

const codeCell = () =>
  textCell(20)
    .transform((s) => s.normalize('NFKC'))
    .refine((s) => /^[0-9A-Za-z_-]+$/.test(s), {
      message: 'letters, digits, - and _ only',
      params: { message_ja: '英数字・ハイフン・下線で入力してください' },
    });

export const personImportSpec: TabularSpec<PersonImportRow> = defineTabularSpec<PersonImportRow>({
  sheetName: '職員',
  columns: [
    {
      key: 'employeeNumber',
      header_ja: '職員番号',
      header_en: 'Employee number',
      aliases: ['社員番号', '職員コード', '個人番号'],
      schema: codeCell(),
      required: true,
    },
    {
      key: 'familyName',
      header_ja: '氏',
      header_en: 'Family name',
      aliases: ['姓'],
      schema: textCell(50),
      required: true,
    },
    {
      key: 'givenName',
      header_ja: '名',
      header_en: 'Given name',
      schema: textCell(50),
      required: true,
    },
    {
      key: 'familyNameKana',
      header_ja: '氏（フリガナ）',
      header_en: 'Family name (kana)',
      aliases: ['氏(フリガナ)', '姓（フリガナ）', '氏カナ', 'セイ'],
      schema: kanaCell(50),
      required: true,
    },
    {
      key: 'givenNameKana',
      header_ja: '名（フリガナ）',
      header_en: 'Given name (kana)',
      aliases: ['名(フリガナ)', '名カナ', 'メイ'],
      schema: kanaCell(50),
      required: true,
    },
    {
      key: 'unitCode',
      header_ja: '所属コード',
      header_en: 'Unit code',
      aliases: ['所属CD'],
      schema: codeCell(),
      required: true,
    },
    {
      key: 'unitName',
      header_ja: '所属',
      header_en: 'Unit',
      aliases: ['所属名'],
      schema: textCell(100),
      required: false,
    },
    {
      key: 'positionTitle',
      header_ja: '役職',
      header_en: 'Position',
      aliases: ['職名'],
      schema: textCell(50),
      required: false,
    },
    {
      key: 'employment',
      header_ja: '雇用区分',
      header_en: 'Employment',
      ...enumCell<EmploymentLabel>({
        regular: '職員',
        part_time: '非常勤',
        temporary: '臨時',
        contractor: '委託',
      }),
      required: true,
    },
    {
      key: 'contractorName',
      header_ja: '委託先',
      header_en: 'Contractor',
      aliases: ['委託事業者'],
      schema: textCell(100),
      required: false,
    },
    {
      key: 'email',
      header_ja: 'メール',
      header_en: 'Email',
      aliases: ['メールアドレス', 'Eメール'],
      schema: z.email(),
      required: false,
    },
    {
      key: 'effectiveDate',
      header_ja: '異動日',
      header_en: 'Effective date',
      aliases: ['発令日', '異動日/発令日', '採用日'],
      schema: dateCell(),
      required: false,
    },
    {
      key: 'leavingDate',
      header_ja: '退職日',
      header_en: 'Leaving date',
      schema: dateCell(),
      required: false,
    },
  ],
  refine: (row) => [
    ...(row.employment === 'contractor' && !row.contractorName
      ? [
          {
            key: 'contractorName' as const,
            code: 'contractor_required',
            message_ja: '雇用区分が委託のときは委託先を入力してください',
            message_en: 'Contractor staff need the contractor',
          },
        ]
      : []),
    ...(row.leavingDate && row.effectiveDate && row.leavingDate < row.effectiveDate
      ? [
          {
            key: 'leavingDate' as const,
            code: 'leaving_before_effective',
            message_ja: '退職日が異動日より前です',
            message_en: 'The leaving date is before the effective date',
          },
        ]
      : []),
  ],
});

/** One row of a units file. */
export interface UnitImportRow {
  code: string;
  name: string;
  nameKana?: string;
  kind: string;
  parentCode?: string;
  outOfScope?: boolean;
  sortOrder?: number;
  effectiveDate?: string;
}

/** The 対象外 reason stored for a unit marked out of scope in a file (pol-4.1). */
export const OUT_OF_SCOPE_REASON = '方針4(1)により適用範囲外';

/** The units spec: 種別 is one of the pack's unit kinds, written by its Japanese label. */
export function unitImportSpec(unitKinds: readonly PackUnitKind[]): TabularSpec<UnitImportRow> {
  const labels = Object.fromEntries(unitKinds.map((k) => [k.id, k.label_ja])) as Record<
    string,
    string
  >;
  return defineTabularSpec<UnitImportRow>({
    sheetName: '所属',
    columns: [
      {
        key: 'code',
        header_ja: '所属コード',
        header_en: 'Unit code',
        aliases: ['所属CD'],
        schema: codeCell(),
        required: true,
      },
      {
        key: 'name',
        header_ja: '所属名',
        header_en: 'Unit name',
        aliases: ['所属'],
        schema: textCell(100),
        required: true,
      },
      {
        key: 'nameKana',
        header_ja: '所属名（フリガナ）',
        header_en: 'Unit name (kana)',
        aliases: ['所属名(フリガナ)', '所属カナ'],
        schema: kanaCell(100),
        required: false,
      },
      { key: 'kind', header_ja: '種別', header_en: 'Kind', ...enumCell(labels), required: true },
      {
        key: 'parentCode',
        header_ja: '上位所属コード',
        header_en: 'Parent unit code',
        aliases: ['親所属コード'],
        schema: codeCell(),
        required: false,
      },
      {
        key: 'outOfScope',
        header_ja: '対象外',
        header_en: 'Out of scope',
        schema: booleanCell(),
        format: formatBoolean,
        required: false,
      },
      {
        key: 'sortOrder',
        header_ja: '表示順',
        header_en: 'Sort order',
        schema: integerCell(0, 1_000_000),
        text: false,
        required: false,
      },
      {
        key: 'effectiveDate',
        header_ja: '適用日',
        header_en: 'Effective date',
        aliases: ['発令日', '異動日'],
        schema: dateCell(),
        required: false,
      },
    ],
    refine: (row) =>
      row.parentCode !== undefined && row.parentCode === row.code
        ? [
            {
              key: 'parentCode',
              code: 'own_parent',
              message_ja: '上位所属コードに自分自身は指定できません',
              message_en: 'A unit cannot be its own parent',
            },
          ]
        : [],
  });
}

/** A sample header row of the people file (docs, tests). */
export const PERSON_IMPORT_HEADER = personImportSpec.columns.map((c) => c.header_ja);

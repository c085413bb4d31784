import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.js';
import {
  assertImportable,
  decodeText,
  defineTabularSpec,
  dateCell,
  detectFormat,
  enumCell,
  exportTabular,
  importDigest,
  integerCell,
  normalizeHeader,
  parseTabular,
  planImport,
  textCell,
  type ParsedRow,
  type RowChange,
} from './index.js';

/** The AppError a call throws (sync or async), or a failure. */
async function appErrorOf(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const cp932 = (text: string) => iconv.encode(text, 'cp932');

/** A synthetic HR row used by the tabular tests (std-7.3.3.2c: fictional data only). */
interface PersonRow {
  employeeNo: string;
  name: string;
  kana?: string;
  unitCode: string;
  email?: string;
  hiredOn?: string;
  status: 'active' | 'leave' | 'retired';
  retiredOn?: string;
  note?: string;
}

const personSpec = defineTabularSpec<PersonRow>({
  sheetName: '職員',
  columns: [
    {
      key: 'employeeNo',
      header_ja: '職員番号',
      header_en: 'Employee No.',
      aliases: ['社員番号', '職員コード'],
      schema: textCell(20).pipe(z.string().regex(/^\d+$/, { message: 'digits only' })),
      required: true,
    },
    { key: 'name', header_ja: '氏名', header_en: 'Name', schema: textCell(100), required: true },
    {
      key: 'kana',
      header_ja: '氏名カナ',
      header_en: 'Name (kana)',
      aliases: ['フリガナ'],
      schema: textCell(100),
      required: false,
    },
    {
      key: 'unitCode',
      header_ja: '所属コード',
      header_en: 'Unit code',
      schema: textCell(20),
      required: true,
    },
    {
      key: 'email',
      header_ja: 'メールアドレス',
      header_en: 'Email',
      schema: z.email(),
      required: false,
    },
    {
      key: 'hiredOn',
      header_ja: '採用日',
      header_en: 'Hired on',
      schema: dateCell(),
      required: false,
    },
    {
      key: 'status',
      header_ja: '在職区分',
      header_en: 'Status',
      ...enumCell({ active: '在職', leave: '休職', retired: '退職' }),
      required: true,
    },
    {
      key: 'retiredOn',
      header_ja: '退職日',
      header_en: 'Retired on',
      schema: dateCell(),
      required: false,
    },
    { key: 'note', header_ja: '備考', header_en: 'Note', schema: textCell(500), required: false },
  ],
  refine: (row) =>
    row.retiredOn !== undefined && row.hiredOn !== undefined && row.retiredOn < row.hiredOn
      ? [
          {
            key: 'retiredOn',
            code: 'retired_before_hired',
            message_ja: '退職日が採用日より前です',
            message_en: 'Retired before hired',
          },
        ]
      : [],
});

const samplePeople: PersonRow[] = [
  {
    employeeNo: '00123',
    name: '試験 太郎',
    kana: 'ｼｹﾝ ﾀﾛｳ',
    unitCode: 'SOUMU-01',
    email: 'taro@kakuu.example.jp',
    hiredOn: '2020-04-01',
    status: 'active',
    note: '架空市 総務課\n兼務: "情報政策課", 係長',
  },
  {
    employeeNo: '00456',
    name: '見本 花子',
    unitCode: 'JOHO-02',
    hiredOn: '2018-04-01',
    status: 'retired',
    retiredOn: '2026-03-31',
  },
  {
    employeeNo: '789',
    name: '髙橋 﨑子',
    kana: 'タカハシ サキコ',
    unitCode: '=1+2',
    status: 'leave',
  },
];

const HEADER = '職員番号,氏名,氏名カナ,所属コード,メールアドレス,採用日,在職区分,退職日,備考';

describe('decodeText: encoding detection (std-7.3.5.1)', () => {
  it('reads UTF-8 without BOM, UTF-8 with BOM (stripped) and CP932 with kanji and half-width kana', () => {
    const text = '氏名,ﾌﾘｶﾞﾅ\r\n試験 太郎,ｼｹﾝ ﾀﾛｳ\r\n髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ\r\n';
    expect(decodeText(utf8(text))).toEqual({ text, encoding: 'utf8' });
    expect(decodeText(utf8Bom(text))).toEqual({ text, encoding: 'utf8-bom' });
    expect(decodeText(cp932(text))).toEqual({ text, encoding: 'cp932' });
  });

  it('refuses empty, UTF-16, binary, undecodable and oversized input with clear codes', async () => {
    expect((await appErrorOf(() => decodeText(Buffer.alloc(0)))).details).toMatchObject({
      reason: 'empty',
    });
    expect((await appErrorOf(() => decodeText(utf8Bom('  \r\n')))).details).toMatchObject({
      reason: 'empty',
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('氏名', 'utf16le')]);
    expect((await appErrorOf(() => decodeText(utf16))).details).toMatchObject({
      reason: 'utf16_unsupported',
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const bin = await appErrorOf(() => decodeText(png));
    expect(bin.code).toBe('import_file_invalid');
    expect(bin.status).toBe(422);
    const undecodable = await appErrorOf(() => decodeText(Buffer.from([0x41, 0xff, 0xfd, 0x42])));
    expect(undecodable.details).toMatchObject({ reason: 'encoding_unknown' });
    const big = await appErrorOf(() => decodeText(utf8('a'.repeat(100)), { maxBytes: 10 }));
    expect(big.code).toBe('payload_too_large');
  });

  it('tells xlsx from CSV and refuses legacy .xls', async () => {
    expect(detectFormat(utf8('a,b'))).toBe('csv');
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('xlsx');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    expect((await appErrorOf(() => detectFormat(xls))).details).toMatchObject({
      reason: 'xls_unsupported',
    });
  });
});

describe('parseTabular: header mapping and per-cell validation (std-7.3.5.1)', () => {
  it('reads a Shift_JIS (CP932) HR export with kanji and half-width kana', async () => {
    const text = `${HEADER}\r\n00123,髙橋 﨑子,ﾀｶﾊｼ ｻｷｺ,SOUMU-01,,2020/4/1,在職,,\r\n`;
    const parsed = await parseTabular(cp932(text), personSpec);
    expect(parsed.encoding).toBe('cp932');
    expect(parsed.format).toBe('csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        rowNumber: 2,
        value: {
          employeeNo: '00123',
          name: '髙橋 﨑子',
          kana: 'ﾀｶﾊｼ ｻｷｺ',
          unitCode: 'SOUMU-01',
          hiredOn: '2020-04-01',
          status: 'active',
        },
      },
    ]);
  });

  it('reads UTF-8 with and without BOM, CRLF and quoted newlines, keeping Excel row numbers', async () => {
    const text =
      `${HEADER}\r\n` +
      `1,試験 太郎,,A,,,在職,,"一行目\r\n二行目, ""引用"""\r\n` +
      `\r\n` + // a blank line is skipped but still counts as a row in Excel
      `2,見本 花子,,B,,,休職,,\r\n`;
    for (const bytes of [utf8(text), utf8Bom(text)]) {
      const parsed = await parseTabular(bytes, personSpec);
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows.map((r) => r.rowNumber)).toEqual([2, 4]);
      expect(parsed.rows[0]?.value.note).toBe('一行目\n二行目, "引用"');
      expect(parsed.rows[1]?.value.status).toBe('leave');
    }
    expect((await parseTabular(utf8Bom(text), personSpec)).encoding).toBe('utf8-bom');
    expect((await parseTabular(utf8(text), personSpec)).encoding).toBe('utf8');
  });

  it('matches Japanese headers with full-width spaces, half-width kana, English names and aliases', async () => {
    expect(normalizeHeader('　職員　番号　')).toBe(normalizeHeader('職員番号'));
    expect(normalizeHeader('ﾒｰﾙｱﾄﾞﾚｽ')).toBe(normalizeHeader('メールアドレス'));
    expect(normalizeHeader('※ 氏名')).toBe(normalizeHeader('氏名'));
    const text =
      '　社員　番号　,Name,ﾌﾘｶﾞﾅ,所属ｺｰﾄﾞ,ﾒｰﾙｱﾄﾞﾚｽ,STATUS\n7,試験 太郎,ｼｹﾝ,A,t@kakuu.example.jp,在職\n';
    const parsed = await parseTabular(utf8(text), personSpec);
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.rows[0]?.value).toEqual({
      employeeNo: '7',
      name: '試験 太郎',
      kana: 'ｼｹﾝ',
      unitCode: 'A',
      email: 't@kakuu.example.jp',
      status: 'active',
    });
  });

  it('reports every error by row and column as the user sees it in Excel (row 3, column "C 職員番号")', async () => {
    const text = [
      '氏名,所属コード,職員番号,在職区分,採用日,退職日,メールアドレス,内線',
      '試験 太郎,A,1,在職,2020-04-01,,,1234',
      '見本 花子,B,A-12,在職,2020-04-01,,,', // row 3: 職員番号 not digits
      ',C,3,出張中,2020-02-30,,not-an-email,', // row 4: 氏名 empty, bad status, bad date, bad email
      '架空 次郎,D,4,退職,2020-04-01,2019-03-31,,', // row 5: retired before hired
    ].join('\r\n');
    const parsed = await parseTabular(utf8(text), personSpec);
    expect(parsed.rows.map((r) => r.rowNumber)).toEqual([2]);
    expect(parsed.invalidRows).toEqual([3, 4, 5]);
    expect(parsed.errors).toContainEqual({
      row: 3,
      column: 'C 職員番号',
      columnLetter: 'C',
      key: 'employeeNo',
      code: 'invalid_format',
      message_ja: '入力の形式が正しくありません',
      message_en: 'digits only',
    });
    const at = (row: number) =>
      parsed.errors.filter((e) => e.row === row).map((e) => [e.column, e.code]);
    expect(at(4)).toEqual([
      ['A 氏名', 'required'],
      ['G メールアドレス', 'invalid_format'],
      ['E 採用日', 'invalid'],
      ['D 在職区分', 'invalid'],
    ]);
    expect(parsed.errors.find((e) => e.row === 4 && e.key === 'status')?.message_ja).toBe(
      '次のいずれかを入力してください: 在職、休職、退職',
    );
    expect(at(5)).toEqual([['F 退職日', 'retired_before_hired']]);
    // The unknown column is a warning on the header row, not an error.
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ row: 1, column: 'H 内線', code: 'column_unknown' }),
    ]);
  });

  it('reports a missing required column and a duplicated column as file errors', async () => {
    const parsed = await parseTabular(utf8('氏名,職員番号,社員番号\n試験 太郎,1,1\n'), personSpec);
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, column: '所属コード', code: 'column_missing' }),
        expect.objectContaining({ row: 1, column: '在職区分', code: 'column_missing' }),
        expect.objectContaining({ row: 1, column: 'C 社員番号', code: 'column_duplicate' }),
      ]),
    );
    const diff = vi.fn(() => Promise.resolve([] as RowChange[]));
    const preview = await planImport({ parsed, diff });
    expect(diff).not.toHaveBeenCalled();
    expect(preview.summary.valid).toBe(false);
    expect(preview.fileErrors).toHaveLength(3);
  });

  it('refuses a file with no header or too many rows, and reports progress for large files', async () => {
    const empty = await appErrorOf(() => parseTabular(utf8(',,\r\n,,\r\n'), personSpec));
    expect(empty.details).toMatchObject({ reason: 'no_header' });
    const body = Array.from(
      { length: 1200 },
      (_, i) => `${String(i)},試験 ${String(i)},,A,,,在職,,`,
    );
    const bytes = utf8([HEADER, ...body].join('\r\n'));
    const tooMany = await appErrorOf(() => parseTabular(bytes, personSpec, { maxRows: 1000 }));
    expect(tooMany.details).toMatchObject({ reason: 'too_many_rows', rows: 1200, maxRows: 1000 });
    const progress: number[] = [];
    const parsed = await parseTabular(bytes, personSpec, {
      onProgress: (p) => {
        expect(p.total).toBe(1200);
        progress.push(p.processed);
      },
    });
    expect(parsed.rows).toHaveLength(1200);
    expect(progress).toEqual([500, 1000, 1200]);
  });

  it('reads xlsx made by exceljs: rich text, dates, numbers, formula results, named sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('表紙').addRow(['架空市 職員一覧']);
    const ws = wb.addWorksheet('職員');
    ws.addRow(['職員番号', '氏名', '所属コード', '在職区分', '採用日', '備考']);
    ws.addRow([
      123,
      { richText: [{ text: '試験' }, { text: ' 太郎', font: { bold: true } }] },
      { formula: 'CONCATENATE("SOU","MU")', result: 'SOUMU' },
      '在職',
      new Date(Date.UTC(2020, 3, 1)),
      { text: '架空市サイト', hyperlink: 'https://kakuu.example.jp/' },
    ]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const parsed = await parseTabular(bytes, personSpec); // the spec's sheet 職員, not the first
    expect(parsed.format).toBe('xlsx');
    expect(parsed.encoding).toBeNull();
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        rowNumber: 2,
        value: {
          employeeNo: '123',
          name: '試験 太郎',
          unitCode: 'SOUMU',
          status: 'active',
          hiredOn: '2020-04-01',
          note: '架空市サイト',
        },
      },
    ]);
    const missing = await appErrorOf(() => parseTabular(bytes, personSpec, { sheetName: '無い' }));
    expect(missing.details).toMatchObject({ reason: 'sheet_missing' });
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 1)]);
    expect((await appErrorOf(() => parseTabular(broken, personSpec))).details).toMatchObject({
      reason: 'xlsx_unreadable',
    });
  });
});

describe('planImport / assertImportable: dry run, all-or-nothing (std-7.3.5.2)', () => {
  const stored = new Map([['00123', { name: '試験 太郎', unitCode: 'SOUMU-01' }]]);
  const diff = (rows: readonly ParsedRow<PersonRow>[]): Promise<RowChange[]> =>
    Promise.resolve(
      rows.map((r): RowChange => {
        const before = stored.get(r.value.employeeNo);
        if (r.value.unitCode === 'NONE')
          return {
            rowNumber: r.rowNumber,
            action: 'error',
            changes: [],
            errors: [
              {
                row: r.rowNumber,
                column: 'D 所属コード',
                columnLetter: 'D',
                key: 'unitCode',
                code: 'unit_unknown',
                message_ja: '所属が見つかりません',
                message_en: 'Unknown unit',
              },
            ],
          };
        if (!before)
          return {
            rowNumber: r.rowNumber,
            action: 'create',
            changes: [
              { field: 'name', before: null, after: r.value.name },
              { field: 'unitCode', before: null, after: r.value.unitCode },
            ],
          };
        const changes = (['name', 'unitCode'] as const)
          .filter((f) => before[f] !== r.value[f])
          .map((f) => ({ field: f, before: before[f], after: r.value[f] }));
        return {
          rowNumber: r.rowNumber,
          action: changes.length > 0 ? 'update' : 'unchanged',
          changes,
        };
      }),
    );

  it('lists every row with its changes, and applies only a fully valid file', async () => {
    const text = `${HEADER}\n00123,試験 太郎,,JOHO-02,,,在職,,\n00456,見本 花子,,A,,,在職,,\n`;
    const parsed = await parseTabular(utf8(text), personSpec);
    const preview = await planImport({ parsed, diff });
    expect(preview.rows).toEqual([
      {
        rowNumber: 2,
        action: 'update',
        changes: [{ field: 'unitCode', before: 'SOUMU-01', after: 'JOHO-02' }],
        errors: [],
      },
      {
        rowNumber: 3,
        action: 'create',
        changes: [
          { field: 'name', before: null, after: '見本 花子' },
          { field: 'unitCode', before: null, after: 'A' },
        ],
        errors: [],
      },
    ]);
    expect(preview.summary).toMatchObject({
      total: 2,
      create: 1,
      update: 1,
      error: 0,
      valid: true,
    });
    expect(preview.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    const applied = assertImportable(preview, preview.planDigest);
    expect(applied.rows).toHaveLength(2);
    expect(applied.logPayload).toEqual({
      fileSha256: preview.fileSha256,
      digest: importDigest(applied.rows),
      created: 1,
      updated: 1,
      unchanged: 0,
    });
    // A preview confirmed earlier that no longer matches is refused (409).
    const stale = await appErrorOf(() => assertImportable(preview, 'f'.repeat(64)));
    expect(stale.code).toBe('conflict');
  });

  it('writes nothing when one row is wrong: parse errors and register errors both block', async () => {
    const text = `${HEADER}\n00123,試験 太郎,,SOUMU-01,,,在職,,\nX,見本 花子,,A,,,在職,,\n9,架空 次郎,,NONE,,,在職,,\n`;
    const preview = await planImport({ parsed: await parseTabular(utf8(text), personSpec), diff });
    expect(preview.rows.map((r) => [r.rowNumber, r.action])).toEqual([
      [2, 'unchanged'],
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(preview.summary).toMatchObject({ valid: false, error: 2, errorCount: 2 });
    const err = await appErrorOf(() => assertImportable(preview));
    expect(err.code).toBe('import_rows_invalid');
    expect(err.status).toBe(422);
    expect(err.details).toMatchObject({
      errorCount: 2,
      errors: [
        expect.objectContaining({ row: 3, column: 'A 職員番号' }),
        expect.objectContaining({ row: 4, code: 'unit_unknown' }),
      ],
    });
  });

  it('digests applied rows canonically: NFC-equal text gives the same digest', () => {
    const a = importDigest([
      { rowNumber: 2, action: 'create', changes: [{ field: 'name', before: null, after: 'ガ' }] },
    ]);
    const b = importDigest([
      {
        rowNumber: 2,
        action: 'create',
        changes: [{ field: 'name', before: null, after: 'カ\u3099' }],
      },
    ]);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('exportTabular (std-7.3.5.3)', () => {
  it('round-trips through CSV UTF-8 BOM, CSV CP932 and xlsx', async () => {
    const cases = [
      { format: 'csv', encoding: 'utf8-bom' },
      { format: 'csv', encoding: 'cp932' },
      { format: 'xlsx' },
    ] as const;
    for (const options of cases) {
      const bytes = await exportTabular(samplePeople, personSpec, options);
      const parsed = await parseTabular(bytes, personSpec);
      expect(parsed.errors, JSON.stringify(options)).toEqual([]);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.rows.map((r) => r.value)).toEqual(samplePeople);
    }
  });

  it('writes Excel-ready CSV: Japanese header, CRLF, formula guard', async () => {
    const csv = await exportTabular(samplePeople, personSpec, { format: 'csv', encoding: 'cp932' });
    const text = iconv.decode(csv, 'cp932');
    expect(text.startsWith(`${HEADER}\r\n00123,試験 太郎,ｼｹﾝ ﾀﾛｳ,`)).toBe(true);
    // =1+2 would run as a formula in Excel; it is written as text (std-7.3.5.1).
    expect(text).toContain(`789,髙橋 﨑子,タカハシ サキコ,'=1+2,`);
    const en = await exportTabular(samplePeople, personSpec, {
      format: 'csv',
      headerLanguage: 'en',
    });
    expect(en.subarray(3).toString('utf8').startsWith('Employee No.,Name,')).toBe(true);
  });

  it('reports a character CP932 cannot hold by row and column, never writing ?', async () => {
    const people = samplePeople.map((p, i) =>
      i === 1 ? { ...p, name: '𠮷田 花子' } : i === 2 ? { ...p, note: '了解🙂' } : p,
    );
    const err = await appErrorOf(() =>
      exportTabular(people, personSpec, { format: 'csv', encoding: 'cp932' }),
    );
    expect(err.code).toBe('export_unencodable');
    expect(err.details).toMatchObject({
      row: 3,
      column: 'B 氏名',
      character: '𠮷',
      cells: [
        { row: 3, column: 'B 氏名', character: '𠮷', codePoint: 'U+20BB7' },
        { row: 4, column: 'I 備考', character: '🙂', codePoint: 'U+1F642' },
      ],
    });
    // UTF-8 holds them.
    const ok = await exportTabular(people, personSpec, { format: 'csv', encoding: 'utf8-bom' });
    expect((await parseTabular(ok, personSpec)).rows[1]?.value.name).toBe('𠮷田 花子');
  });

  it('writes xlsx with the Japanese header row in bold, frozen, columns sized, text kept as text', async () => {
    const bytes = await exportTabular(samplePeople, personSpec, { format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('職員');
    expect(ws).toBeDefined();
    expect(ws?.getRow(1).values).toEqual([undefined, ...HEADER.split(',')]);
    expect(ws?.getRow(1).font.bold).toBe(true);
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws?.getCell('A2').value).toBe('00123');
    const widths = ws?.columns.map((c) => c.width ?? 0) ?? [];
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
    expect(widths[8]).toBeGreaterThan(widths[0] ?? 0); // 備考 is wider than 職員番号
  });

  it('property: any BMP text round-trips through UTF-8 CSV', async () => {
    const spec = defineTabularSpec<{ id: number; text?: string }>({
      columns: [
        {
          key: 'id',
          header_ja: '番号',
          header_en: 'No',
          schema: integerCell(0, 1e6),
          required: true,
        },
        { key: 'text', header_ja: '本文', header_en: 'Text', schema: z.string(), required: false },
      ],
    });
    const bmpChar = fc
      .integer({ min: 0x20, max: 0xffff })
      .filter((c) => (c < 0xd800 || c > 0xdfff) && (c < 0x7f || c > 0x9f))
      .map((c) => String.fromCharCode(c));
    const cell = fc
      .array(fc.oneof(bmpChar, fc.constantFrom('\n', ',', '"', "'", '=', '-', '@')), {
        maxLength: 30,
      })
      .map((cs) => cs.join('').normalize('NFC').trim());
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 8 }), async (texts) => {
        const rows = texts.map((t, id) => (t === '' ? { id } : { id, text: t }));
        const bytes = await exportTabular(rows, spec, { format: 'csv', encoding: 'utf8-bom' });
        const parsed = await parseTabular(bytes, spec);
        expect(parsed.errors).toEqual([]);
        expect(parsed.rows.map((r) => r.value)).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });
});

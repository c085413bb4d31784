import { buildSearchText, readingSortKey } from '@mamori/contracts';
import type { IsoDate, PolicyPack } from '@mamori/policy';
import { insertAccount } from '../../platform/auth/accounts.repository.js';
import { generateTemporaryPassword, hashPassword } from '../../platform/auth/passwords.js';
import type { TenantTx } from '../../platform/db/database.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import { temporaryPasswordLifetimeHours } from '../../platform/settings/pack-settings.js';
import { generateDemoNames, seededRandom, type DemoName } from './demo-names.js';
import {
  insertContractor,
  insertMembership,
  insertPerson,
  setPersonAccount,
} from './people.repository.js';
import { insertAssignment } from './roles.repository.js';
import { insertSystem } from './systems.repository.js';
import { correctUnitVersion, insertUnit, listUnitsAsOf } from './units.repository.js';

/*
 * The demo municipality 架空市 (std-7.3.3.2c: synthetic only): a plausible
 * 部局/課/係 tree, a few hundred people with generated names, information
 * systems in every zone, every role of the policy filled — and a few role
 * problems left on purpose for the checks to find.
 */

/** A 課 (or 出先機関) of the demo, with its 係. */
interface DemoSection {
  readonly name: string;
  readonly kana: string;
  readonly kind?: 'section' | 'branch_office' | 'school';
  readonly teams?: readonly { name: string; kana: string }[];
  readonly staff?: number;
  readonly outOfScope?: boolean;
}

interface DemoDepartment {
  readonly name: string;
  readonly kana: string;
  readonly kind: 'department' | 'committee_secretariat' | 'hospital';
  readonly head: string;
  readonly sections: readonly DemoSection[];
  readonly outOfScope?: boolean;
}

/** The tree: 8 部局/事務局, 40 課 and 出先機関, some 係, an out-of-scope 学校 and 病院. */
export const DEMO_TREE: readonly DemoDepartment[] = [
  {
    name: '総務部',
    kana: 'ソウムブ',
    kind: 'department',
    head: '総務部長',
    sections: [
      {
        name: '総務課',
        kana: 'ソウムカ',
        teams: [{ name: '文書法制担当', kana: 'ブンショホウセイタントウ' }],
      },
      { name: '人事課', kana: 'ジンジカ' },
      {
        name: '管財課',
        kana: 'カンザイカ',
        teams: [
          { name: '財産管理担当', kana: 'ザイサンカンリタントウ' },
          { name: '契約検査担当', kana: 'ケイヤクケンサタントウ' },
        ],
      },
      {
        name: '情報政策課',
        kana: 'ジョウホウセイサクカ',
        staff: 8,
        teams: [
          { name: 'システム担当', kana: 'システムタントウ' },
          { name: 'ネットワーク担当', kana: 'ネットワークタントウ' },
        ],
      },
      {
        name: '税務課',
        kana: 'ゼイムカ',
        staff: 8,
        teams: [
          { name: '住民税担当', kana: 'ジュウミンゼイタントウ' },
          { name: '固定資産税担当', kana: 'コテイシサンゼイタントウ' },
        ],
      },
      { name: '危機管理課', kana: 'キキカンリカ' },
      { name: '会計課', kana: 'カイケイカ' },
    ],
  },
  {
    name: '企画部',
    kana: 'キカクブ',
    kind: 'department',
    head: '企画部長',
    sections: [
      { name: '企画課', kana: 'キカクカ' },
      { name: '財政課', kana: 'ザイセイカ' },
      { name: '秘書広報課', kana: 'ヒショコウホウカ' },
      { name: '地域振興課', kana: 'チイキシンコウカ' },
    ],
  },
  {
    name: '市民部',
    kana: 'シミンブ',
    kind: 'department',
    head: '市民部長',
    sections: [
      {
        name: '市民課',
        kana: 'シミンカ',
        staff: 8,
        teams: [
          { name: '住民記録担当', kana: 'ジュウミンキロクタントウ' },
          { name: '証明担当', kana: 'ショウメイタントウ' },
        ],
      },
      { name: '保険年金課', kana: 'ホケンネンキンカ' },
      { name: '環境課', kana: 'カンキョウカ' },
      { name: '生活安全課', kana: 'セイカツアンゼンカ' },
      { name: '国際交流課', kana: 'コクサイコウリュウカ' },
      { name: '甲支所', kana: 'コウシショ', kind: 'branch_office' },
      { name: '乙支所', kana: 'オツシショ', kind: 'branch_office' },
      { name: '丙支所', kana: 'ヘイシショ', kind: 'branch_office' },
    ],
  },
  {
    name: '福祉保健部',
    kana: 'フクシホケンブ',
    kind: 'department',
    head: '福祉保健部長',
    sections: [
      { name: '福祉課', kana: 'フクシカ' },
      { name: '介護保険課', kana: 'カイゴホケンカ' },
      { name: '子育て支援課', kana: 'コソダテシエンカ' },
      { name: '健康増進課', kana: 'ケンコウゾウシンカ' },
      { name: '障害福祉課', kana: 'ショウガイフクシカ' },
      { name: '保育課', kana: 'ホイクカ' },
    ],
  },
  {
    name: '産業観光部',
    kana: 'サンギョウカンコウブ',
    kind: 'department',
    head: '産業観光部長',
    sections: [
      { name: '農政課', kana: 'ノウセイカ' },
      { name: '林政課', kana: 'リンセイカ' },
      { name: '商工労政課', kana: 'ショウコウロウセイカ' },
      { name: '観光課', kana: 'カンコウカ' },
    ],
  },
  {
    name: '建設部',
    kana: 'ケンセツブ',
    kind: 'department',
    head: '建設部長',
    sections: [
      { name: '建設課', kana: 'ケンセツカ' },
      { name: '道路河川課', kana: 'ドウロカセンカ' },
      { name: '都市計画課', kana: 'トシケイカクカ' },
      { name: '上下水道課', kana: 'ジョウゲスイドウカ' },
    ],
  },
  {
    name: '教育委員会事務局',
    kana: 'キョウイクイインカイジムキョク',
    kind: 'committee_secretariat',
    head: '教育次長',
    sections: [
      { name: '教育総務課', kana: 'キョウイクソウムカ' },
      { name: '学校教育課', kana: 'ガッコウキョウイクカ' },
      { name: '生涯学習課', kana: 'ショウガイガクシュウカ' },
      {
        name: '架空市立第一小学校',
        kana: 'カクウシリツダイイチショウガッコウ',
        kind: 'school',
        outOfScope: true,
        staff: 4,
      },
    ],
  },
  {
    name: '議会事務局',
    kana: 'ギカイジムキョク',
    kind: 'committee_secretariat',
    head: '議会事務局長',
    sections: [{ name: '議事課', kana: 'ギジカ' }],
  },
  {
    name: '監査委員事務局',
    kana: 'カンサイインジムキョク',
    kind: 'committee_secretariat',
    head: '監査委員事務局長',
    sections: [{ name: '監査課', kana: 'カンサカ' }],
  },
  {
    name: '架空市立病院',
    kana: 'カクウシリツビョウイン',
    kind: 'hospital',
    head: '病院事務長',
    outOfScope: true,
    sections: [],
  },
];

/** The 課 deliberately left without a security_manager (for the role checks). */
export const DEMO_SECTION_WITHOUT_MANAGER = '国際交流課';

/** Information systems per zone (mynumber, lgwan, internet, offline) and their 担当課. */
export const DEMO_SYSTEMS: readonly { name: string; zone: string; section: string }[] = [
  { name: '住民基本台帳システム', zone: 'mynumber', section: '市民課' },
  { name: '税務システム', zone: 'mynumber', section: '税務課' },
  { name: '国民健康保険システム', zone: 'mynumber', section: '保険年金課' },
  { name: '介護保険システム', zone: 'mynumber', section: '介護保険課' },
  { name: '財務会計システム', zone: 'lgwan', section: '財政課' },
  { name: '人事給与システム', zone: 'lgwan', section: '人事課' },
  { name: '文書管理システム', zone: 'lgwan', section: '総務課' },
  { name: 'グループウェア', zone: 'lgwan', section: '情報政策課' },
  { name: '公式ウェブサイト', zone: 'internet', section: '秘書広報課' },
  { name: 'インターネットメール', zone: 'internet', section: '情報政策課' },
  { name: '図書館システム', zone: 'internet', section: '生涯学習課' },
  { name: '防災行政無線管理端末', zone: 'offline', section: '危機管理課' },
];

/** Who gets a demo account (login name → position). */
const DEMO_ACCOUNTS: readonly { login: string; who: string }[] = [
  { login: 'demo-ciso', who: 'ciso' },
  { login: 'demo-cso', who: 'chief' },
  { login: 'demo-johoseisaku', who: '情報政策課:head' },
  { login: 'demo-kanzai', who: '管財課:head' },
  { login: 'demo-shimin', who: '市民課:staff' },
  { login: 'demo-kansa', who: '監査課:head' },
];

/** What the demo created. */
export interface DemoSeedResult {
  readonly units: number;
  readonly sections: number;
  readonly people: number;
  readonly systems: number;
  readonly assignments: number;
  readonly accounts: readonly {
    loginName: string;
    displayName: string;
    temporaryPassword: string;
    expiresAt: Date;
  }[];
}

/** Counts of an existing organization: the demo refuses to seed twice. */
export async function isOrganizationEmpty(tx: TenantTx, date: IsoDate): Promise<boolean> {
  return (await listUnitsAsOf(tx, date)).length === 0;
}

/**
 * Seeds the demo organization into an empty tenant in the caller's
 * transaction, with one operation-log entry. `from` is the date the demo
 * organization starts (the current fiscal year's 4月1日).
 */
export async function seedDemoOrganization(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'settings'>,
  from: IsoDate,
  operatorId: string,
): Promise<DemoSeedResult> {
  const random = seededRandom(7);
  const names = generateDemoNames(600);
  let nameIndex = 0;
  const nameOf = new Map<string, string>();
  let employeeNo = 10001;
  let units = 0;
  let sections = 0;
  let assignments = 0;
  const nextName = (): DemoName => {
    const n = names[nameIndex++];
    if (!n) throw new Error('out of demo names');
    return n;
  };
  const unit = async (
    kind: string,
    name: string,
    kana: string,
    parentId: string | null,
    code: string,
    sortOrder: number,
    outOfScope = false,
  ): Promise<string> => {
    const { unitId, versionId } = await insertUnit(tx, {
      kind,
      code,
      name,
      nameKana: kana,
      parentId,
      sortOrder,
      validFrom: from,
    });
    if (outOfScope)
      await correctUnitVersion(tx, versionId, {
        name,
        nameKana: kana,
        parentId,
        sortOrder,
        outOfScopeReason: '方針4(1)により適用範囲外（学校及び病院）',
      });
    units++;
    return unitId;
  };
  const person = async (
    unitId: string,
    title: string | null,
    employment: 'regular' | 'non_regular' | 'contractor_staff' = 'regular',
    contractorId: string | null = null,
  ): Promise<string> => {
    const n = nextName();
    const number = String(employeeNo++);
    const row = await insertPerson(tx, {
      employeeNumber: employment === 'contractor_staff' ? `C${number}` : number,
      familyName: n.familyName,
      givenName: n.givenName,
      familyNameKana: n.familyNameKana,
      givenNameKana: n.givenNameKana,
      sortKey: readingSortKey(n.familyNameKana, n.givenNameKana),
      searchText: buildSearchText([
        n.familyName + n.givenName,
        n.familyNameKana + n.givenNameKana,
        number,
      ]),
      email: `user${number}@kakuu-city.example`,
      employment,
      contractorId,
    });
    await insertMembership(tx, {
      personId: row.id,
      unitId,
      kind: 'primary',
      positionTitle: title,
      validFrom: from,
    });
    nameOf.set(row.id, `${n.familyName} ${n.givenName}`);
    return row.id;
  };
  const assign = async (
    role: string,
    holder: { personId: string } | { unitId: string },
    scope:
      { kind: 'tenant' } | { kind: 'unit'; unitId: string } | { kind: 'system'; systemId: string },
    note: string | null = null,
  ) => {
    await insertAssignment(tx, {
      role,
      holderPersonId: 'personId' in holder ? holder.personId : null,
      holderUnitId: 'unitId' in holder ? holder.unitId : null,
      scopeKind: scope.kind,
      scopeUnitId: scope.kind === 'unit' ? scope.unitId : null,
      scopeSystemId: scope.kind === 'system' ? scope.systemId : null,
      validFrom: from,
      note,
      createdBy: null,
    });
    assignments++;
  };

  const sectionIds = new Map<string, string>();
  const heads = new Map<string, string>();
  const staffOf = new Map<string, string[]>();
  const departmentHeads = new Map<string, { unitId: string; personId: string }>();
  let deptNo = 0;
  for (const dept of DEMO_TREE) {
    deptNo++;
    const deptCode = `${String(deptNo).padStart(2, '0')}000`;
    const deptId = await unit(
      dept.kind,
      dept.name,
      dept.kana,
      null,
      deptCode,
      deptNo * 100,
      dept.outOfScope,
    );
    const headId = await person(deptId, dept.head);
    departmentHeads.set(dept.name, { unitId: deptId, personId: headId });
    if (dept.kind === 'hospital')
      for (let i = 0; i < 4; i++) await person(deptId, i === 0 ? '看護師長' : null);
    let secNo = 0;
    for (const sec of dept.sections) {
      secNo++;
      const secCode = `${String(deptNo).padStart(2, '0')}${String(secNo).padStart(2, '0')}0`;
      const kind = sec.kind ?? 'section';
      const secId = await unit(
        kind,
        sec.name,
        sec.kana,
        deptId,
        secCode,
        secNo * 10,
        sec.outOfScope,
      );
      if (kind !== 'school') sections++;
      sectionIds.set(sec.name, secId);
      heads.set(
        sec.name,
        await person(
          secId,
          kind === 'branch_office' ? '所長' : kind === 'school' ? '校長' : '課長',
        ),
      );
      const staff: string[] = [];
      const count = sec.staff ?? 5 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        // Every fifth is 非常勤/臨時 (pol-4.1: they are 職員等 too).
        staff.push(
          await person(secId, i === 0 ? '課長補佐' : null, i % 5 === 4 ? 'non_regular' : 'regular'),
        );
      }
      let teamNo = 0;
      for (const team of sec.teams ?? []) {
        teamNo++;
        const teamId = await unit(
          'team',
          team.name,
          team.kana,
          secId,
          `${secCode.slice(0, 4)}${String(teamNo)}`,
          teamNo,
        );
        sectionIds.set(team.name, teamId);
        await person(teamId, '係長');
        for (let i = 0; i < 3; i++)
          staff.push(await person(teamId, null, i === 2 ? 'non_regular' : 'regular'));
      }
      staffOf.set(sec.name, staff);
    }
  }
  // The CISO (副市長) sits in the 総務部 unit itself; 外部委託 staff work in 情報政策課.
  const soumu = departmentHeads.get('総務部');
  const kikaku = departmentHeads.get('企画部');
  const johoseisaku = sectionIds.get('情報政策課');
  const kansa = sectionIds.get('監査課');
  const property = sectionIds.get('財産管理担当');
  if (!soumu || !kikaku || !johoseisaku || !kansa || !property)
    throw new Error('demo tree incomplete');
  const cisoId = await person(soumu.unitId, '副市長');
  const contractor = await insertContractor(tx, {
    name: '架空システムサービス株式会社',
    nameKana: 'カクウシステムサービス',
    searchText: buildSearchText(['架空システムサービス株式会社', 'カクウシステムサービス']),
  });
  const contractorStaff: string[] = [];
  for (let i = 0; i < 5; i++)
    contractorStaff.push(
      await person(
        johoseisaku,
        i === 0 ? '常駐SE（責任者）' : '常駐SE',
        'contractor_staff',
        contractor.id,
      ),
    );
  const advisorOrg = await insertContractor(tx, {
    name: '架空情報セキュリティ研究所',
    nameKana: 'カクウジョウホウセキュリティケンキュウジョ',
    searchText: buildSearchText(['架空情報セキュリティ研究所']),
  });
  const advisorId = await person(
    johoseisaku,
    '最高情報セキュリティアドバイザー',
    'contractor_staff',
    advisorOrg.id,
  );

  // Systems per zone, owned by their 課.
  const systems: { id: string; section: string }[] = [];
  for (const s of DEMO_SYSTEMS) {
    const owner = sectionIds.get(s.section);
    if (!owner) throw new Error(`demo system ${s.name}: no section ${s.section}`);
    const row = await insertSystem(tx, {
      name: s.name,
      searchText: buildSearchText([s.name]),
      owningUnitId: owner,
      zone: s.zone,
      description: null,
      inServiceFrom: from,
      retiredOn: null,
    });
    systems.push({ id: row.id, section: s.section });
  }

  // Roles (対策基準2).
  await assign('ciso', { personId: cisoId }, { kind: 'tenant' });
  await assign('ciso_advisor', { personId: advisorId }, { kind: 'tenant' });
  await assign('chief_security_officer', { personId: kikaku.personId }, { kind: 'tenant' });
  for (const [deptName, head] of departmentHeads) {
    if (deptName === '架空市立病院') continue; // out of scope (pol-4.1)
    await assign(
      'security_officer',
      { personId: head.personId },
      { kind: 'unit', unitId: head.unitId },
    );
  }
  for (const dept of DEMO_TREE)
    for (const sec of dept.sections) {
      if (sec.outOfScope || sec.name === DEMO_SECTION_WITHOUT_MANAGER) continue;
      const secId = sectionIds.get(sec.name);
      const head = heads.get(sec.name);
      if (secId && head)
        await assign('security_manager', { personId: head }, { kind: 'unit', unitId: secId });
    }
  for (const s of systems) {
    const head = heads.get(s.section);
    const operator = staffOf.get(s.section)?.[1];
    if (head)
      await assign('system_manager', { personId: head }, { kind: 'system', systemId: s.id });
    if (operator)
      await assign('system_operator', { personId: operator }, { kind: 'system', systemId: s.id });
  }
  const csirt = staffOf.get('情報政策課') ?? [];
  const johoHead = heads.get('情報政策課');
  if (johoHead) await assign('csirt_lead', { personId: johoHead }, { kind: 'tenant' });
  for (const id of csirt.slice(2, 5)) await assign('csirt', { personId: id }, { kind: 'tenant' });
  for (const id of [cisoId, kikaku.personId, soumu.personId])
    await assign('security_committee', { personId: id }, { kind: 'tenant' });
  await assign('poc', { unitId: property }, { kind: 'tenant' });
  const kansaHead = heads.get('監査課');
  if (kansaHead) await assign('audit_lead', { personId: kansaHead }, { kind: 'tenant' });
  for (const id of (staffOf.get('監査課') ?? []).slice(1, 3))
    await assign('auditor', { personId: id }, { kind: 'tenant' });
  // Deliberate problem (std-2.9.2): the 統括 also audits, so they would audit themselves.
  await assign(
    'auditor',
    { personId: kikaku.personId },
    { kind: 'tenant' },
    'デモ: 監査と被監査の兼務（チェックで検出される例）',
  );

  // Accounts for a handful of people, with temporary passwords shown once.
  const lifetimeHours = temporaryPasswordLifetimeHours(pack);
  const who = (w: string): string | undefined => {
    if (w === 'ciso') return cisoId;
    if (w === 'chief') return kikaku.personId;
    const [sec, role] = w.split(':');
    if (!sec) return undefined;
    return role === 'head' ? heads.get(sec) : staffOf.get(sec)?.[2];
  };
  const accounts: DemoSeedResult['accounts'][number][] = [];
  for (const a of DEMO_ACCOUNTS) {
    const personId = who(a.who);
    if (!personId) continue;
    const temporaryPassword = generateTemporaryPassword();
    const expiresAt = new Date(Date.now() + lifetimeHours * 3600_000);
    const displayName = nameOf.get(personId) ?? a.login;
    const account = await insertAccount(tx, {
      loginName: a.login,
      displayName,
      email: null,
      passwordHash: await hashPassword(temporaryPassword),
      passwordExpiresAt: expiresAt,
    });
    await setPersonAccount(tx, personId, account.id);
    accounts.push({ loginName: a.login, displayName, temporaryPassword, expiresAt });
  }

  const result: DemoSeedResult = {
    units,
    sections,
    people: nameIndex,
    systems: systems.length,
    assignments,
    accounts,
  };
  await recordOperation(
    tx,
    { type: 'operator', id: operatorId },
    {
      action: 'organization.demo_seeded',
      subject: { type: 'tenant', id: tx.scope.tenantId },
      payload: {
        from,
        units,
        sections,
        people: nameIndex,
        systems: systems.length,
        assignments,
        accounts: accounts.map((a) => a.loginName),
      },
    },
  );
  return result;
}

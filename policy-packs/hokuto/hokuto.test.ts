import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareLevels,
  effectiveRestrictions,
  formatDuration,
  isAtLeast,
  maxLevel,
  resolveSettings,
  type Duration,
  type SettingValue,
} from '@mamori/policy';
import { describe, expect, it } from 'vitest';
import { loadPolicyPack } from '../../apps/server/src/platform/policy-pack/index.js';

const pack = await loadPolicyPack(path.dirname(fileURLToPath(import.meta.url)));
const { confidentiality, integrity, availability } = pack.classification.axes;
const role = (id: string) => pack.roles.roles.find((r) => r.id === id);

describe('Hokuto roles (対策基準2)', () => {
  it.each([
    ['ciso', '最高情報セキュリティ責任者', '副市長'],
    ['chief_security_officer', '統括情報セキュリティ責任者', '企画部長'],
    ['security_officer', '情報セキュリティ責任者', '部局の長、行政委員会事務局の長'],
    ['security_manager', '情報セキュリティ管理者', '課長、出先機関の長及び行政委員会事務局の課長'],
    ['system_manager', '情報システム管理者', '各情報システムの担当課長等'],
    ['poc', '情報セキュリティに関する統一的な窓口', '管財課財産管理担当'],
  ])('%s is %s, held by %s', (id, title, holder) => {
    expect(role(id)?.title_ja).toBe(title);
    expect(role(id)?.holder_ja).toBe(holder);
  });

  it('has one CISO and one chief security officer per tenant, one manager per section (std-2.1.1, std-2.4.1)', () => {
    expect(role('ciso')).toMatchObject({ scope: 'tenant', cardinality: 'exactly_one' });
    expect(role('chief_security_officer')).toMatchObject({
      scope: 'tenant',
      cardinality: 'exactly_one',
      reports_to: ['ciso'],
    });
    expect(role('security_officer')).toMatchObject({
      scope: 'department',
      cardinality: 'exactly_one',
    });
    expect(role('security_manager')).toMatchObject({
      scope: 'section',
      cardinality: 'exactly_one',
    });
    expect(role('system_manager')).toMatchObject({ scope: 'system', cardinality: 'exactly_one' });
    expect(role('poc')?.holder_kind).toBe('unit');
  });
});

describe('Hokuto classification (別表1, std-3.1)', () => {
  it('orders levels 1 < 2 < 3 by the pack', () => {
    expect(confidentiality.levels.map((l) => l.id)).toEqual(['1', '2', '3']);
    expect(compareLevels(confidentiality, '3', '2')).toBeGreaterThan(0);
    expect(isAtLeast(confidentiality, '2', '2')).toBe(true);
    expect(isAtLeast(confidentiality, '1', '2')).toBe(false);
    expect(maxLevel(confidentiality, ['1', '3', '2'])).toBe('3');
    expect(integrity.levels.map((l) => l.id)).toEqual(['1', '2']);
    expect(availability.levels.map((l) => l.id)).toEqual(['1', '2']);
  });

  it('gives level 3 the restrictions of level 2 plus the non-issued-device ban', () => {
    const level2 = effectiveRestrictions(confidentiality, '2');
    const level3 = effectiveRestrictions(confidentiality, '3');
    expect(level2.map((r) => r.text_ja)).toEqual([
      '必要以上の複製及び配付禁止',
      '保管場所の制限、保管場所への必要以上の電磁的記録媒体等の持ち込み禁止',
      '情報の送信、情報資産の運搬・提供時における暗号化・パスワード設定や鍵付きケースへの格納',
      '復元不可能な処理を施しての廃棄',
      '信頼のできるネットワーク回線の選択',
      '外部で情報処理を行う際の安全管理措置の規定',
      '電磁的記録媒体の施錠可能な場所への保管',
    ]);
    expect(level3).toHaveLength(level2.length + 1);
    expect(level3[0]?.text_ja).toBe('支給以外の端末での作業禁止（機密性３の情報資産に対して）');
    expect(level3.slice(1)).toEqual(level2);
  });

  it('gives level 1 of every axis no restrictions', () => {
    expect(effectiveRestrictions(confidentiality, '1')).toEqual([]);
    expect(effectiveRestrictions(integrity, '1')).toEqual([]);
    expect(effectiveRestrictions(availability, '1')).toEqual([]);
  });

  it('lists the integrity 2 and availability 2 restrictions of 別表1', () => {
    expect(effectiveRestrictions(integrity, '2').map((r) => r.text_ja)).toEqual([
      'バックアップ、電子署名付与',
      '外部で情報処理を行う際の安全管理措置の規定',
      '電磁的記録媒体の施錠可能な場所への保管',
    ]);
    expect(effectiveRestrictions(availability, '2').map((r) => r.text_ja)).toEqual([
      'バックアップ、指定する時間以内の復旧',
      '電磁的記録媒体の施錠可能な場所への保管',
    ]);
  });
});

describe('Hokuto zones (std-4.1.1, std-4.2.1)', () => {
  const rule = (from: string, to: string) =>
    pack.zones.flows.find((f) => f.from === from && f.to === to)?.rule ??
    pack.zones.unlisted_flow_rule;

  it('isolates the My Number zone both ways', () => {
    for (const other of ['lgwan', 'internet', 'offline']) {
      expect(rule('mynumber', other)).toBe('forbidden');
      expect(rule(other, 'mynumber')).toBe('forbidden');
    }
  });

  it('lets the Internet zone reach the LGWAN zone only sanitized', () => {
    expect(rule('internet', 'lgwan')).toBe('sanitized_only');
    expect(rule('lgwan', 'internet')).toBe('allowed_if_necessary');
    expect(pack.zones.sanitization_methods.map((m) => [m.id, m.clause])).toEqual([
      ['mail_text_only', 'std-4.2.1a'],
      ['screen_transfer', 'std-4.2.1b'],
      ['file_sanitization', 'std-4.2.1c'],
    ]);
  });
});

describe('Hokuto settings: the defaults of decisions.md', () => {
  const resolved = resolveSettings(pack.settings.settings);
  const show = (value: SettingValue | undefined): unknown =>
    typeof value === 'object' && !Array.isArray(value) ? formatDuration(value as Duration) : value;
  const value = (key: string) => show(resolved.settings.get(key)?.value);

  it.each([
    ['incident.report.discoverer_to_manager.overdue_after', '1 hour'],
    ['incident.report.manager_to_officers.due_within', '2 hours'],
    ['incident.report.manager_to_ciso.due_within', '4 hours'],
    ['incident.report.manager_to_ciso.due_within_critical', '1 hour'],
    ['incident.triage.due_within', '24 hours'],
    ['incident.triage.due_within_urgent', '4 hours'],
    ['incident.triage.urgent_severities', ['high', 'critical']],
    ['incident.external_report.first.due_within', '24 hours'],
    ['incident.external_report.final.due_within', '30 days'],
    ['incident.external_report.recipients_ja', ['総務省', '山梨県']],
    ['incident.external_report.min_severity', 'low'],
    [
      'incident.escalation.recipients',
      ['security_officer', 'chief_security_officer', 'system_manager', 'ciso'],
    ],
    ['asset.availability.recovery_target', '24 hours'],
    ['malware.signature.max_age', '3 days'],
    ['contractor.review.interval', '1 year'],
    ['external_service.review.interval', '1 year'],
    ['log.review.interval', '1 month'],
    ['retention.operation_log', '5 years'],
    ['retention.audit_evidence', '5 years'],
    ['retention.disposal_records', '5 years'],
    ['retention.test_results', '3 years'],
    ['asset.unclassified.grace_period', '14 days'],
    ['carry_out.return.overdue_after', '1 day'],
    ['auth.lockout.threshold', 10],
    ['auth.session.idle_timeout', '30 minutes'],
    ['auth.session.absolute_timeout', '12 hours'],
    ['auth.session.privileged_idle_timeout', '15 minutes'],
    ['auth.session.privileged_absolute_timeout', '12 hours'],
    ['auth.elevation.duration', '30 minutes'],
    ['auth.password.min_length', 12],
    ['auth.password.max_length', 128],
    ['auth.password.blocklist_check', true],
    ['auth.temporary_password.lifetime', '72 hours'],
    ['auth.lockout.cooldown', '30 minutes'],
    ['auth.lockout.admin_unlock', true],
    ['roles.privileged.max_holders', 5],
    ['approval.step.due_within', '3 business days'],
    ['approval.step.reminder_after', '2 business days'],
    ['approval.step.escalate_after', '5 business days'],
    ['exception.emergency_report.due_within', '2 business days'],
    ['exception.max_duration', '6 months'],
    ['exception.review_interval', '3 months'],
    ['calendar.business_days.weekdays', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['calendar.business_days.exclude_national_holidays', true],
    ['calendar.year_end_closure.start', '12-29'],
    ['calendar.year_end_closure.end', '01-03'],
    ['calendar.time_zone', 'Asia/Tokyo'],
    ['classification.high_confidentiality.min_level', '2'],
    ['classification.important_information.min_confidentiality', '3'],
    ['network.redundant_lines.min_availability', '2'],
    [
      'approval.fallback.chain',
      ['security_manager', 'security_officer', 'chief_security_officer', 'ciso'],
    ],
    ['external_service.approver_role', 'chief_security_officer'],
    ['outsourcing.subcontract.approver_role', 'security_manager'],
    ['exception.consent_role', 'chief_security_officer'],
    ['incident.poc.unit_name_ja', '管財課財産管理担当'],
    ['incident.personal_data.ppc_report_threshold', 100],
  ])('%s = %j', (key, expected) => {
    expect(value(key)).toEqual(expected);
  });

  it('orders incident severities 低 < 中 < 高 < 重大', () => {
    expect(pack.settings.incident_severities.map((s) => s.label_ja)).toEqual([
      '低',
      '中',
      '高',
      '重大',
    ]);
  });

  it('lets only the chief security officer change settings', () => {
    expect(pack.settings.editable_by).toBe('chief_security_officer');
  });
});

describe('Hokuto clauses', () => {
  it('holds the numbering, heading and verbatim text of every cited clause', () => {
    for (const clause of pack.clauses.clauses) {
      expect(clause.id_ja).toMatch(/^(基準|方針)/);
      expect(clause.text_ja?.length ?? 0).toBeGreaterThan(0);
    }
    const transport = pack.clauses.clauses.find((c) => c.key === 'std-3.2.8b');
    expect(transport).toMatchObject({ id_ja: '基準3(2)⑧(イ)', heading_ja: '運搬の許可' });
  });
});

describe('Hokuto organization (pol-4.1, std-2.3.1, std-2.4.1)', () => {
  const kinds = pack.organization.unit_kinds;
  const kind = (id: string) => kinds.find((k) => k.id === id);

  it('lets 部局 and 行政委員会事務局 act as departments, 課 and 出先機関 as sections, 係 as teams', () => {
    expect(kinds.map((k) => [k.id, k.label_ja, k.acts_as])).toEqual([
      ['department', '部局', 'department'],
      ['committee_secretariat', '行政委員会事務局', 'department'],
      ['section', '課', 'section'],
      ['branch_office', '出先機関', 'section'],
      ['team', '係', 'team'],
      ['school', '学校', 'section'],
      ['hospital', '病院', 'department'],
    ]);
    expect(kind('team')?.allowed_parents).toEqual(['section', 'branch_office']);
  });

  it('marks only 学校 and 病院 as possibly out of scope (pol-4.1 学校及び病院を除く)', () => {
    expect(kinds.filter((k) => k.may_be_out_of_scope).map((k) => k.id)).toEqual([
      'school',
      'hospital',
    ]);
  });

  it('lists the employment kinds of 職員等 (pol-4.1)', () => {
    expect(pack.organization.employment_kinds.map((k) => [k.id, k.label_ja])).toEqual([
      ['regular', '職員'],
      ['non_regular', '非常勤及び臨時職員'],
      ['contractor_staff', '外部委託事業者の従業員'],
    ]);
  });
});

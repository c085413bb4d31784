import type { ApiErrorCode } from '../api/error-codes.js';
import { identityJa } from '../modules/identity/messages.ja.js';
import { operationLogJa } from '../modules/operation-log/messages.ja.js';
import { organizationJa } from '../modules/organization/messages.ja.js';

/**
 * Japanese, the default language. Labels use the policy's own terms (shared/docs/glossary.md).
 * `en.ts` must have exactly the same keys (the type checker and i18n.test.ts enforce it).
 */
export const ja = {
  app: {
    name: '守り Mamori',
    tagline: '情報セキュリティポリシー運用支援システム',
    pageTitle: '{{page}} | 守り Mamori',
  },
  tenant: {
    notSetUp: '団体未登録',
    notSetUpHint: '管理者が npm run cli -- init で団体（テナント）を登録してください。',
  },
  a11y: {
    skipToContent: '本文へスキップ',
    mainNavigation: 'メインメニュー',
    toggleNavigation: 'メニューの表示を切り替える',
    displaySettings: '表示設定',
  },
  language: {
    label: '表示言語',
    ja: '日本語',
    en: 'English',
  },
  dateStyle: {
    label: '日付の表示',
    gregorian: '西暦',
    wareki: '和暦',
  },
  nav: {
    home: 'ホーム',
    information_asset: '情報資産',
    incident: '情報セキュリティインシデント',
    approval: '承認',
    organization: '組織',
    audit: '監査',
    exception: '例外措置',
    report: 'レポート',
    settings: '設定',
  },
  home: {
    title: 'ホーム',
    intro: '情報セキュリティポリシーに基づく情報資産の管理、承認、監査などを行います。',
    calendarHeading: '本日と年度',
    today: '本日',
    fiscalYear: '現在の年度',
    fiscalYearRange: '期間：{{start}}～{{end}}',
  },
  health: {
    heading: 'システムの状態',
    checking: '確認しています…',
    ok: '正常',
    okDescription: 'サーバーとデータベースは正常に応答しています。',
    failed: '異常',
    checkedAt: '最終確認：{{time}}',
    recheck: '再確認',
  },
  // Module messages live beside each module (modules/<module>/messages.<lang>.ts).
  identity: identityJa,
  organization: organizationJa,
  operationLog: operationLogJa,
  comingSoon: {
    heading: '準備中',
    body: 'この機能は現在準備中です。公開までお待ちください。',
  },
  notFound: {
    title: 'ページが見つかりません',
    body: 'お探しのページは存在しないか、移動した可能性があります。URLをご確認ください。',
    backHome: 'ホームへ戻る',
  },
  appError: {
    title: 'エラーが発生しました',
    body: '画面の表示中に問題が発生しました。ページを再読み込みしてください。問題が続く場合は、システム管理者にお問い合わせください。',
    reload: '再読み込み',
  },
  errors: {
    validation_failed: '入力内容に誤りがあります。内容を確認してください。',
    unauthenticated: 'ログインが必要です。ログインし直してください。',
    forbidden: 'この操作を行う権限がありません。',
    not_found: '対象が見つかりません。',
    conflict: '他の操作と競合しました。画面を更新してから、もう一度お試しください。',
    payload_too_large: 'ファイルまたは入力内容が大きすぎます。',
    unsupported_media_type: 'この形式のファイルは取り扱えません。',
    rate_limited: '短時間に操作が集中しました。しばらく待ってから、もう一度お試しください。',
    tenant_unknown: '団体が見つかりません。URLを確認してください。',
    database_unavailable: 'データベースに接続できません。システム管理者にお問い合わせください。',
    setting_invalid: '設定値に誤りがあります。',
    export_unencodable: 'Shift_JISで表せない文字が含まれています。UTF-8で出力してください。',
    import_file_invalid:
      '取り込めないファイルです。CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）の形式で、見出し行を確認してください。',
    import_rows_invalid:
      '誤りのある行があるため、取り込みませんでした。確認画面の行と列を修正してください。',
    internal: 'サーバーでエラーが発生しました。システム管理者にお問い合わせください。',
    network_error: 'サーバーに接続できません。ネットワークの状態を確認してください。',
    unexpected_response: 'サーバーから想定外の応答がありました（HTTP {{status}}）。',
  } satisfies Record<ApiErrorCode, string>,
};

/** The shape every language's messages must have. */
export type Messages = typeof ja;

import type { ApiErrorCode } from '../api/error-codes.js';
import { identityJa } from '../modules/identity/messages.ja.js';
import { operationLogJa } from '../modules/operation-log/messages.ja.js';
import { organizationJa } from '../modules/organization/messages.ja.js';
import { tasksJa } from '../modules/tasks/messages.ja.js';

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
    operation_log: '操作ログ',
    task: 'タスク',
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
  tasks: tasksJa,
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
    import_expired:
      'アップロードから24時間が過ぎたため、この取込は期限切れです。ファイルをもう一度アップロードしてください。',
    org_structure_invalid:
      '組織の構成として認められない変更です（単位の種類・上位組織・有効期間を確認してください）。',
    role_cardinality_exceeded:
      'この役割は対象ごとに決められた人数を超えて割り当てられません。前任者の割当を終了して交代させてください。',
    role_exception_reason_required:
      '兼務の禁止に当たる割当です。例外とする理由を記録してください。',
    delegation_invalid: '代行者の指名が条件を満たしていません。',
    last_tenant_admin:
      '有効な Mamori 管理者アカウントがこれだけのため、無効にできません。先に別の管理者を用意してください。',
    invalid_credentials:
      'ログイン名またはパスワードが正しくないか、現在このアカウントではログインできません。失敗が続くとアカウントはロックされます。',
    password_change_required:
      'パスワードを変更してください。仮パスワードのままでは他の操作はできません。',
    mfa_required: '多要素認証を完了してください。',
    mfa_enrolment_required: '多要素認証の登録を完了してください。',
    mfa_failed: '認証コードまたはセキュリティキーを確認できませんでした。もう一度お試しください。',
    password_rejected: 'このパスワードは使用できません。',
    temporary_password_expired:
      '仮パスワードの有効期限が切れています。管理者に仮パスワードの再発行を依頼してください。',
    csrf_rejected:
      '画面の情報が古くなっています。ページを再読み込みしてから、もう一度お試しください。',
    step_up_required: 'この操作には本人確認（多要素認証）のやり直しが必要です。',
    session_expired:
      '一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。',
    insecure_transport: '安全でない接続（HTTP）では利用できません。HTTPS でアクセスしてください。',
    log_key_unavailable:
      '操作ログの検証用の公開鍵が見つかりません。システム管理者にお問い合わせください。',
    internal: 'サーバーでエラーが発生しました。システム管理者にお問い合わせください。',
    network_error: 'サーバーに接続できません。ネットワークの状態を確認してください。',
    unexpected_response: 'サーバーから想定外の応答がありました（HTTP {{status}}）。',
  } satisfies Record<ApiErrorCode, string>,
};

/** The shape every language's messages must have. */
export type Messages = typeof ja;

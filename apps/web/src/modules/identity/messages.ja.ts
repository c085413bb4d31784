/**
 * Japanese messages of the identity module (i18n key `identity.*`), merged into
 * i18n/ja.ts. Labels use the policy's own terms (shared/docs/glossary.md): 仮パスワード
 * (std-7.2.4.2), 多要素認証 (std-5.4.2).
 */
export const identityJa = {
  title: 'ログイン',
  loading: '読み込んでいます…',
  retry: '再試行',
  cancel: 'キャンセル',
  close: '閉じる',
  copied: 'コピーしました',
  logout: 'ログアウト',
  userMenu: { label: 'ログイン中の利用者' },
  password: { toggleVisibility: 'パスワードの表示を切り替える' },
  factor: {
    totp: '認証アプリ（ワンタイムコード）',
    webauthn: 'セキュリティキー・パスキー',
    recovery_code: 'リカバリーコード',
  },
  login: {
    title: 'ログイン',
    loginName: 'ログイン名',
    password: 'パスワード',
    submit: 'ログイン',
    help: 'パスワードを忘れた場合やアカウントがロックされた場合は、システム管理者に連絡してください。',
  },
  changePassword: {
    title: 'パスワードの変更',
    intro:
      '{{name}} さん、仮パスワードでログインしました。利用を始める前に、ご自身のパスワードに変更してください。',
    rulesTitle: 'パスワードの条件',
    ruleLength: '{{min}}文字以上、{{max}}文字以下にしてください。',
    ruleAnyCharacters:
      'ひらがな・カタカナ・漢字・英数字・記号・空白など、どの文字でも使えます。覚えやすい長い文（パスフレーズ）がおすすめです。',
    ruleNoComposition: '大文字・数字・記号を必ず含める、といった決まりはありません。',
    ruleBlocklist:
      'よく使われるパスワード、ログイン名や団体名を含むパスワードは使えません。定期的な変更は不要です。',
    current: '現在のパスワード（仮パスワード）',
    new: '新しいパスワード',
    confirm: '新しいパスワード（確認）',
    mismatch: '確認用のパスワードが一致しません。',
    submit: 'パスワードを変更',
    logoutHint: 'パスワードを変更するまで、ログアウト以外の操作はできません。',
  },
  passwordRejection: {
    too_short: 'パスワードが短すぎます。',
    too_long: 'パスワードが長すぎます。',
    common_password: 'よく使われている、または過去に漏えいしたパスワードです。',
    contains_login_name: 'ログイン名を含んでいます。',
    contains_municipality_name: '団体名を含んでいます。',
    same_as_current: '現在のパスワードと同じです。',
  },
  mfaEnrolment: {
    title: '多要素認証の登録',
    intro:
      'ログインには、パスワードに加えてもう一つの認証要素が必要です。認証アプリか、セキュリティキー・パスキーを登録してください。',
    doneTitle: '多要素認証を登録しました',
    logoutHint: '登録を終えるまで、ログアウト以外の操作はできません。',
  },
  totp: {
    intro:
      'スマートフォンなどの認証アプリ（Google Authenticator、Microsoft Authenticator など）で、30秒ごとに変わる6桁のコードを使います。',
    start: '認証アプリの登録を始める',
    scanInstructions:
      '認証アプリで次の QR コードを読み取るか、「セットアップキーを入力」を選んでセットアップキーを入力してください。QR コードとキーは登録が終わると二度と表示されません。',
    qrLabel: '認証アプリ登録用の QR コード（内容はセットアップキーと同じです）',
    secretLabel: 'セットアップキー',
    manualSettings: '種類：時間ベース（TOTP）、桁数：6桁、間隔：30秒',
    openInApp: 'この端末の認証アプリで開く（otpauth リンク）',
    codeLabel: '認証アプリに表示された6桁のコード',
    codeHint: '確認のため、認証アプリに表示されているコードを入力してください。',
    confirm: '登録を完了',
    replaceWarning:
      '新しい設定の登録が完了するまでは、今の認証アプリのコードも使えます。完了すると、今の設定は使えなくなります。',
    replacementExpired:
      '登録し直しの受付が終わりました（時間切れ、または本人確認のやり直し）。もう一度「認証アプリの登録を始める」から進めてください。',
  },
  webauthn: {
    intro:
      'USB や NFC のセキュリティキー、または端末の生体認証・PIN によるパスキーを使います（所持・生体による認証）。',
    nameLabel: 'キーの名前',
    nameHint: '後で見分けられる名前を付けてください（例：青いセキュリティキー）。',
    register: 'セキュリティキーを登録',
    unsupported: 'このブラウザーはセキュリティキー・パスキーに対応していません。',
    failed:
      'セキュリティキー・パスキーで認証できませんでした。キーを確認して、もう一度お試しください。',
  },
  recoveryCodes: {
    title: 'リカバリーコード',
    warning:
      '認証アプリやセキュリティキーを使えなくなったときに、一度だけ使えるコードです。このコードは今しか表示されません。印刷するか、安全な場所に保管してください。',
    copy: 'コードをコピー',
    stored: 'リカバリーコードを安全な場所に保管しました',
    continue: '利用を開始する',
  },
  mfa: {
    title: '多要素認証',
    intro: 'パスワードを確認しました。もう一つの認証要素で本人確認をしてください。',
    lostFactor:
      '認証アプリもセキュリティキーも使えない場合はリカバリーコードを使ってください。リカバリーコードもない場合は、システム管理者に連絡してください。',
  },
  secondFactor: {
    totpLabel: '6桁のコード',
    totpHint: '認証アプリに表示されているコードを入力してください。',
    recoveryCodeLabel: 'リカバリーコード',
    recoveryCodeHint:
      '登録時に保管したコードの一つを入力してください（各コードは一度だけ使えます）。',
    webauthnHint: 'ボタンを押してから、セキュリティキーに触れるか、端末で本人確認をしてください。',
    useSecurityKey: 'セキュリティキー・パスキーで認証',
    verify: '確認',
  },
  stepUp: {
    title: '本人確認',
    body: 'この操作は重要な操作のため、もう一度本人確認が必要です。確認後、一定時間は再確認なしで操作できます。',
    cancel: '本人確認をやめる',
  },
  previousLogin: {
    title: '前回のログイン',
    first: '今回が初めてのログインです。',
    at: '前回のログイン：{{time}}（接続元 {{ip}}）。心当たりがない場合は、システム管理者に連絡してください。',
    unknownIp: '不明',
    failures: '前回のログイン以降、ログインの失敗が {{count}} 回ありました。',
  },
  security: {
    title: 'セキュリティ設定',
    intro: 'ログイン中のセッション、多要素認証、リカバリーコードを管理します。',
  },
  sessions: {
    title: 'ログイン中のセッション',
    intro: '心当たりのないセッションは終了してください。',
    createdAt: 'ログイン日時',
    lastSeenAt: '最終操作',
    ip: '接続元',
    userAgent: 'ブラウザー',
    actions: '操作',
    current: 'この画面',
    revoke: '終了',
  },
  mfaFactors: {
    title: '多要素認証',
    stepUpNote: '変更するときは、本人確認をやり直していただきます。',
    totpNone: '登録されていません。',
    totpSince: '登録日時：{{time}}',
    totpAdd: '認証アプリを登録',
    totpReenrol: '認証アプリを登録し直す',
    webauthnNone: '登録されていません。',
    keyName: '名前',
    keyCreatedAt: '登録日時',
    keyLastUsedAt: '最終使用',
    keyRemove: '削除',
    keyRemoveNamed: '{{name}} を削除',
    keyAdd: 'セキュリティキー・パスキーを追加',
    recoveryRemaining: '未使用のコード：{{count}} 件',
    recoveryRegenerate: 'リカバリーコードを再発行',
  },
  accounts: {
    title: 'アカウント管理',
    intro:
      '守り Mamori のアカウントを管理します。作成・仮パスワード再発行・ロック解除・無効化・多要素認証の再登録指示は、本人確認の上で行い、操作ログに記録されます。',
    loginName: 'ログイン名',
    displayName: '氏名',
    email: 'メールアドレス（任意）',
    stateLabel: '状態',
    lastLoginAt: '最終ログイン',
    failedCount: '連続ログイン失敗：{{count}} 回',
    actionsFor: '{{name}} の操作',
    state: {
      active: '利用可',
      disabled: '無効',
      locked: 'ロック中',
      temporaryPassword: '仮パスワード',
      mfa: '多要素認証：{{methods}}',
      noMfa: '多要素認証 未登録',
    },
    actions: {
      reset: '仮パスワードを再発行',
      unlock: 'ロックを解除',
      mfaReset: '多要素認証の再登録を求める',
      disable: '無効にする',
      enable: '有効に戻す',
    },
    create: {
      open: 'アカウントを作成',
      title: 'アカウントの作成',
      loginNameHint:
        '半角英数字で入力してください。「admin」など推測しやすい名前は避けてください。',
      submit: '作成して仮パスワードを発行',
    },
    temporaryPassword: {
      title: '仮パスワード',
      for: '{{name}}（{{loginName}}）の仮パスワードです。',
      warning:
        'この仮パスワードは今しか表示されません。本人に安全な方法で伝えてください。{{time}} まで有効で、一度しか使えず、初回ログイン時に変更が求められます。',
      copy: '仮パスワードをコピー',
    },
    disable: {
      title: 'アカウントの無効化',
      body: '{{name}} のアカウントを無効にします。ログイン中のセッションもすべて終了します。',
      reason: '理由',
      submit: '無効にする',
    },
    done: {
      unlocked: '{{name}} のロックを解除しました。',
      mfaReset: '{{name}} には次回ログイン時に多要素認証の再登録を求めます。',
      disabled: '{{name}} のアカウントを無効にしました。',
      enabled: '{{name}} のアカウントを有効に戻しました。',
    },
  },
};

/**
 * Japanese messages of the tasks module (i18n key `tasks.*`), merged into i18n/ja.ts: the one
 * platform task entity for every follow-up the policy demands (e.g. std-6.1.1.8 返却).
 */
export const tasksJa = {
  title: 'タスク',
  description:
    'ポリシーが求める対応（退職時の資産・ICカードの返却など）の一覧です。期限と根拠の条項を確認して対応してください。',
  view: '表示するタスク',
  views: {
    mine: '自分のタスク',
    unit: '所管する課のタスク',
  },
  statusFilter: '状態',
  statuses: {
    open: '未完了',
    done: '完了',
    cancelled: '取消',
  },
  caption: 'タスクの一覧',
  empty: 'タスクはありません。',
  taskTitle: '件名',
  owner: '担当',
  dueDate: '期限',
  noDueDate: 'なし',
  overdue: '期限切れ',
  clause: '根拠',
  status: '状態',
  actions: '操作',
  complete: '完了にする',
  cancel: '取り消す',
  completeTitle: 'タスクを完了にする',
  cancelTitle: 'タスクを取り消す',
  note: '対応内容のメモ（任意）',
  submitComplete: '完了にする',
  submitCancel: '取り消す',
  completedAt: '完了日時：{{time}}',
  close: '閉じる',
  cardHeading: '自分のタスク',
  cardOpen: '未完了のタスクが{{count}}件あります。',
  cardNone: '未完了のタスクはありません。',
  cardLink: 'タスクの一覧へ',
};

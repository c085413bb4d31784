import { identityEn } from '../modules/identity/messages.en.js';
import { operationLogEn } from '../modules/operation-log/messages.en.js';
import { organizationEn } from '../modules/organization/messages.en.js';
import { tasksEn } from '../modules/tasks/messages.en.js';
import type { Messages } from './ja.js';

/** English, the second language. Same keys as ja.ts. */
export const en: Messages = {
  app: {
    name: '守り Mamori',
    tagline: 'Information security policy management',
    pageTitle: '{{page}} | 守り Mamori',
  },
  tenant: {
    notSetUp: 'No municipality yet',
    notSetUpHint: 'An operator registers the municipality (tenant) with npm run cli -- init.',
  },
  a11y: {
    skipToContent: 'Skip to main content',
    mainNavigation: 'Main menu',
    toggleNavigation: 'Show or hide the menu',
    displaySettings: 'Display settings',
  },
  language: {
    label: 'Language',
    ja: '日本語',
    en: 'English',
  },
  dateStyle: {
    label: 'Date style',
    gregorian: 'Gregorian',
    wareki: 'Japanese era',
  },
  nav: {
    home: 'Home',
    information_asset: 'Information assets',
    incident: 'Security incidents',
    approval: 'Approvals',
    organization: 'Organization',
    audit: 'Audits',
    exception: 'Exceptions',
    report: 'Reports',
    operation_log: 'Operation log',
    task: 'Tasks',
    settings: 'Settings',
  },
  home: {
    title: 'Home',
    intro:
      'Manage information assets, approvals, audits and more under your information security policy.',
    calendarHeading: 'Today and fiscal year',
    today: 'Today',
    fiscalYear: 'Current fiscal year',
    fiscalYearRange: 'Period: {{start}} to {{end}}',
  },
  health: {
    heading: 'System status',
    checking: 'Checking…',
    ok: 'OK',
    okDescription: 'The server and the database are responding.',
    failed: 'Unavailable',
    checkedAt: 'Last checked: {{time}}',
    recheck: 'Check again',
  },
  identity: identityEn,
  organization: organizationEn,
  tasks: tasksEn,
  operationLog: operationLogEn,
  comingSoon: {
    heading: 'Coming soon',
    body: 'This feature is being prepared.',
  },
  notFound: {
    title: 'Page not found',
    body: 'The page you are looking for does not exist or has moved. Please check the URL.',
    backHome: 'Back to home',
  },
  appError: {
    title: 'Something went wrong',
    body: 'A problem occurred while showing this screen. Please reload the page. If the problem continues, contact your system administrator.',
    reload: 'Reload',
  },
  errors: {
    validation_failed: 'Some of the input is not valid. Please check it.',
    unauthenticated: 'Please sign in again.',
    forbidden: 'You do not have permission to do this.',
    not_found: 'Not found.',
    conflict: 'This conflicts with another change. Refresh the page and try again.',
    payload_too_large: 'The file or input is too large.',
    unsupported_media_type: 'This file type is not accepted.',
    rate_limited: 'Too many requests. Please wait a moment and try again.',
    tenant_unknown: 'Unknown organization. Please check the URL.',
    database_unavailable: 'The database is not reachable. Contact your system administrator.',
    setting_invalid: 'A setting is not valid.',
    export_unencodable: 'Some text cannot be written in Shift_JIS. Export as UTF-8 instead.',
    import_file_invalid:
      'This file cannot be imported. Use CSV (UTF-8 or Shift_JIS) or Excel (.xlsx) and check the header row.',
    import_rows_invalid:
      'Nothing was imported because some rows have errors. Fix the rows and columns listed in the preview.',
    import_expired:
      'This upload has expired (uploads are kept for 24 hours). Upload the file again.',
    org_structure_invalid:
      'This change does not fit the organization (check the unit kind, parent and dates).',
    role_cardinality_exceeded:
      "This role already has its maximum number of holders for this scope. End the previous holder's assignment to replace them.",
    role_exception_reason_required:
      'This assignment breaks a separation-of-duties rule. Record the reason for the exception.',
    delegation_invalid: 'The deputy nomination does not meet the conditions.',
    last_tenant_admin:
      'This is the last enabled Mamori administrator account. Create or enable another administrator first.',
    invalid_credentials:
      'The login name or password is wrong, or this account cannot log in now. Repeated failures lock the account.',
    password_change_required:
      'Change your password. Nothing else can be done with a temporary password.',
    mfa_required: 'Complete two-factor authentication.',
    mfa_enrolment_required: 'Complete the two-factor authentication set-up.',
    mfa_failed: 'The code or security key could not be verified. Please try again.',
    password_rejected: 'This password cannot be used.',
    temporary_password_expired:
      'The temporary password has expired. Ask your administrator for a new one.',
    csrf_rejected: 'This page is out of date. Reload it and try again.',
    step_up_required:
      'This operation needs you to confirm your identity with a second factor again.',
    session_expired: 'You were logged out after a period of inactivity. Please log in again.',
    insecure_transport: 'Not available over an insecure (HTTP) connection. Use HTTPS.',
    log_key_unavailable:
      "The operation log's public key is missing. Contact the system administrator.",
    internal: 'A server error occurred. Contact your system administrator.',
    network_error: 'Cannot reach the server. Check your network connection.',
    unexpected_response: 'The server sent an unexpected response (HTTP {{status}}).',
  },
};

import { identityEn } from '../modules/identity/messages.en.js';
import { operationLogEn } from '../modules/operation-log/messages.en.js';
import { organizationEn } from '../modules/organization/messages.en.js';
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
    internal: 'A server error occurred. Contact your system administrator.',
    network_error: 'Cannot reach the server. Check your network connection.',
    unexpected_response: 'The server sent an unexpected response (HTTP {{status}}).',
  },
};

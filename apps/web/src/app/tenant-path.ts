/**
 * A shared install serves each municipality also under `/t/{全国地方公共団体コード}/…`
 * (architecture.md "Tenants"). The app keeps that prefix for its routes and its API calls.
 */
export function tenantPathPrefix(pathname: string): string {
  return /^\/t\/\d{6}(?=\/|$)/.exec(pathname)?.[0] ?? '';
}

/** The prefix of the page the app was opened on ('' outside a browser). */
export function currentTenantPathPrefix(): string {
  return typeof window === 'undefined' ? '' : tenantPathPrefix(window.location.pathname);
}

import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface PageWatch {
  /** Console errors, uncaught page errors (CSP violations show up here) and failed requests. */
  readonly problems: string[];
  /** Requests that left the app's origin (there must be none: no CDN, LGWAN has no internet). */
  readonly foreignRequests: string[];
}

/** Resource types whose loads a navigation may cancel. */
const CANCELLABLE = new Set(['fetch', 'xhr', 'font', 'image', 'media']);

/** Starts recording what goes wrong on `page`. */
export function watchPage(page: Page, origin: string): PageWatch {
  const watch: PageWatch = { problems: [], foreignRequests: [] };
  page.on('console', (message) => {
    // A 4xx/5xx answer is logged by the browser as "Failed to load resource"; those are judged
    // below from the response itself (an API error body the app handles is not a problem).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      watch.problems.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const url = response.url();
    const isApiError =
      url.startsWith(`${origin}/api/`) &&
      (response.headers()['content-type'] ?? '').startsWith('application/json');
    if (!isApiError) watch.problems.push(`HTTP ${String(response.status())}: ${url}`);
  });
  page.on('pageerror', (error) => {
    watch.problems.push(`page error: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    // A request cancelled before it finished is not a failure of the app: TanStack Query aborts
    // the queries of a page being left, and the browser aborts the fetches, fonts and icons of a
    // document it navigates away from. A failed answer shows up as an HTTP status instead.
    if (error === 'net::ERR_ABORTED' && CANCELLABLE.has(request.resourceType())) return;
    watch.problems.push(`request failed: ${request.url()} ${error}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) watch.foreignRequests.push(url);
  });
  return watch;
}

/**
 * Runs axe with the WCAG 2.x A/AA rules (JIS X 8341-3) and returns the violations of impact
 * serious or critical, printing every violation found so lesser ones are seen too.
 */
export async function seriousAxeViolations(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const lines = results.violations.map(
    (violation) =>
      `[${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n` +
      violation.nodes
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
        .join('\n'),
  );
  if (lines.length > 0) console.log(`axe (${label}):\n${lines.join('\n')}`);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${label}: ${violation.id} (${violation.impact ?? ''}) ${violation.help}`);
}

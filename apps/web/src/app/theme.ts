import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * Light scheme only (no color-scheme script: the CSP forbids inline scripts). Shades are chosen
 * for WCAG AA contrast (4.5:1 for text) on white: Mantine's default blue.6 and gray.6 are ~3.5:1.
 */
export const theme = createTheme({
  fontFamily: "'Noto Sans JP', sans-serif",
  headings: { fontFamily: "'Noto Sans JP', sans-serif" },
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  // Focus must always be visible for keyboard users (WCAG 2.4.7).
  focusRing: 'auto',
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
  },
  dark: {},
});

import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Section } from './section.js';

// The unit project has no DOM: read the server-rendered HTML.
function render(node: ReactNode): string {
  return renderToString(<MantineProvider>{node}</MantineProvider>);
}

const sectionLabel = /<section[^>]*aria-labelledby="([^"]+)"/g;
const h2 = /<h2[^>]*id="([^"]+)"[^>]*>([^<]*)<\/h2>/g;

describe('Section (WCAG 1.3.1: a region named by its heading)', () => {
  it('labels each <section> by its own <h2>, with ids unique on the page', () => {
    const html = render(
      <>
        <Section title="架空市の組織">本文</Section>
        <Section title="架空市の組織">本文</Section>
      </>,
    );
    const labelledBy = [...html.matchAll(sectionLabel)].map((m) => m[1]);
    const headings = [...html.matchAll(h2)].map((m) => ({ id: m[1], text: m[2] }));
    expect(labelledBy).toHaveLength(2);
    expect(headings.map((h) => h.id)).toEqual(labelledBy);
    expect(headings.map((h) => h.text)).toEqual(['架空市の組織', '架空市の組織']);
    expect(new Set(labelledBy).size).toBe(2);
  });

  it('uses a given heading id (for a form labelled by the same heading) and shows the description', () => {
    const html = render(
      <Section headingId="lookup" title="役割の保持者" description="試験 太郎の説明">
        <form aria-labelledby="lookup" />
      </Section>,
    );
    expect([...html.matchAll(sectionLabel)].map((m) => m[1])).toEqual(['lookup']);
    expect([...html.matchAll(h2)].map((m) => m[1])).toEqual(['lookup']);
    expect(html).toMatch(/<p[^>]*>試験 太郎の説明<\/p>/);
  });
});

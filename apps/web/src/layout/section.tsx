import { Card, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

/**
 * A titled card region of a page: a `<section>` named by its own `<h2>` (`aria-labelledby`), so
 * screen readers list it as a region under the page's `<h1>` (WCAG 1.3.1, 2.4.6). The heading id
 * comes from `useId`, so ids never clash when a section appears twice; pass `headingId` (from the
 * caller's own `useId`) only when something inside, such as a form, is labelled by the same heading.
 */
export function Section({
  title,
  description,
  headingId,
  children,
}: {
  title: ReactNode;
  /** A short line under the heading. */
  description?: ReactNode;
  headingId?: string;
  children: ReactNode;
}) {
  const generatedId = useId();
  const id = headingId ?? generatedId;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb={description === undefined ? 'sm' : 'xs'}>
        {title}
      </Title>
      {description !== undefined && (
        <Text size="sm" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}

import type { UnitTree } from '@mamori/contracts';
import { Anchor, Badge, Group, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import { usePeople, useUnitTree } from './api.js';
import { todayIso, useIsoDateFormat, usePackLabels } from './labels.js';
import { organizationRoutes, OrgSubnav } from './org-subnav.js';
import { DateField, ErrorAlert } from './shared.js';

/**
 * The organization home: the unit tree as of a date (組織改正 on 4月1日 shows a different tree on
 * 3/31 and 4/1), out-of-scope units marked (pol-4.1), and the people directory sorted by 読み.
 */
export function OrganizationPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? todayIso();
  return (
    <>
      <PageHeader title={t('organization.title')} description={t('organization.description')} />
      <OrgSubnav />
      <Stack gap="lg">
        <UnitTreeCard
          asOf={asOf}
          onAsOfChange={(value) => {
            setParams(
              (current) => {
                const next = new URLSearchParams(current);
                if (value === '' || value === todayIso()) next.delete('asOf');
                else next.set('asOf', value);
                return next;
              },
              { replace: true },
            );
          }}
        />
        <PeopleDirectory />
      </Stack>
    </>
  );
}

function UnitTreeCard({
  asOf,
  onAsOfChange,
}: {
  asOf: string;
  onAsOfChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const formatIso = useIsoDateFormat();
  const tree = useUnitTree(asOf);
  const nested = useMemo(() => nest(tree.data?.units ?? []), [tree.data]);
  return (
    <Section title={t('organization.tree.heading')}>
      <Stack gap="sm">
        <DateField
          label={t('organization.tree.asOf')}
          description={t('organization.tree.asOfHint')}
          value={asOf}
          onChange={onAsOfChange}
          w={260}
        />
        {tree.isError && <ErrorAlert error={tree.error} />}
        {tree.data && tree.data.units.length === 0 && <Text>{t('organization.tree.empty')}</Text>}
        {tree.data && tree.data.units.length > 0 && (
          <nav
            aria-label={t('organization.tree.label', { date: formatIso(tree.data.asOf) })}
            data-testid="unit-tree"
            data-as-of={tree.data.asOf}
          >
            <UnitList nodes={nested} asOf={asOf} />
          </nav>
        )}
      </Stack>
    </Section>
  );
}

interface TreeNode {
  readonly unit: UnitTree['units'][number];
  readonly children: TreeNode[];
}

function nest(units: UnitTree['units']): TreeNode[] {
  const ids = new Set(units.map((u) => u.id));
  const byParent = new Map<string | null, TreeNode[]>();
  const nodes = new Map(units.map((unit) => [unit.id, { unit, children: [] as TreeNode[] }]));
  for (const node of nodes.values()) {
    const parent =
      node.unit.parentId !== null && ids.has(node.unit.parentId) ? node.unit.parentId : null;
    if (parent === null) {
      const roots = byParent.get(null) ?? [];
      roots.push(node);
      byParent.set(null, roots);
    } else {
      nodes.get(parent)?.children.push(node);
    }
  }
  const sort = (list: TreeNode[]): TreeNode[] => {
    list.sort(
      (a, b) =>
        a.unit.sortOrder - b.unit.sortOrder ||
        (a.unit.nameKana ?? a.unit.name).localeCompare(b.unit.nameKana ?? b.unit.name, 'ja'),
    );
    for (const node of list) sort(node.children);
    return list;
  };
  return sort(byParent.get(null) ?? []);
}

function UnitList({ nodes, asOf }: { nodes: readonly TreeNode[]; asOf: string }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const linkQuery = asOf === todayIso() ? '' : `?asOf=${asOf}`;
  return (
    <ul
      className="org-tree"
      style={{ listStyle: 'none', paddingInlineStart: '1.25rem', margin: 0 }}
    >
      {nodes.map(({ unit, children }) => (
        <li key={unit.id} style={{ marginBlock: 4 }}>
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`${organizationRoutes.unit(unit.id)}${linkQuery}`}>
              {unit.name}
            </Anchor>
            <Badge variant="outline" color="gray.8" size="sm">
              {labels.unitKind(unit.kind)}
            </Badge>
            {unit.outOfScopeReason !== null && (
              <Badge
                variant="outline"
                color="grape.9"
                size="sm"
                title={t('organization.tree.outOfScopeTitle', { reason: unit.outOfScopeReason })}
              >
                {t('organization.tree.outOfScope')}
              </Badge>
            )}
          </Group>
          {children.length > 0 && <UnitList nodes={children} asOf={asOf} />}
        </li>
      ))}
    </ul>
  );
}

const PAGE_SIZE = 50;

/** People sorted by 読み; search matches kana/kanji partially (the server folds width and kana). */
export function PeopleDirectory({ unitId }: { unitId?: string }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const people = usePeople({
    q: debounced === '' ? undefined : debounced,
    unitId,
    page,
    pageSize: PAGE_SIZE,
  });
  const pages = people.data ? Math.max(1, Math.ceil(people.data.total / people.data.pageSize)) : 1;
  return (
    <Section title={t('organization.people.heading')}>
      <Stack gap="sm">
        <TextInput
          type="search"
          label={t('organization.people.search')}
          description={t('organization.people.searchHint')}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          maw={480}
        />
        {people.isError && <ErrorAlert error={people.error} />}
        {people.data && (
          <Text size="sm" role="status">
            {t('organization.people.total', { total: people.data.total })}
          </Text>
        )}
        {people.data && people.data.items.length === 0 && (
          <Text>{t('organization.people.empty')}</Text>
        )}
        {people.data && people.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table striped data-testid="people-table">
              <Table.Caption>{t('organization.people.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('organization.people.name')}</Table.Th>
                  <Table.Th scope="col">{t('organization.people.kana')}</Table.Th>
                  <Table.Th scope="col">{t('organization.people.employeeNumber')}</Table.Th>
                  <Table.Th scope="col">{t('organization.people.unit')}</Table.Th>
                  <Table.Th scope="col">{t('organization.people.employment')}</Table.Th>
                  <Table.Th scope="col">{t('organization.people.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {people.data.items.map((person) => (
                  <Table.Tr key={person.id}>
                    <Table.Th scope="row" fw={400}>
                      <Anchor component={Link} to={organizationRoutes.person(person.id)}>
                        {person.familyName} {person.givenName}
                      </Anchor>
                    </Table.Th>
                    <Table.Td>
                      {person.familyNameKana} {person.givenNameKana}
                    </Table.Td>
                    <Table.Td>{person.employeeNumber ?? ''}</Table.Td>
                    <Table.Td>
                      {person.primaryUnit && (
                        <Anchor
                          component={Link}
                          to={organizationRoutes.unit(person.primaryUnit.id)}
                        >
                          {person.primaryUnit.name}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td>{labels.employment(person.employment)}</Table.Td>
                    <Table.Td>{t(`organization.personStatus.${person.status}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {pages > 1 && (
          <nav aria-label={t('organization.people.pagination')}>
            <Group gap="sm">
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                getControlProps={(control) =>
                  control === 'previous'
                    ? { 'aria-label': t('organization.people.previous') }
                    : control === 'next'
                      ? { 'aria-label': t('organization.people.next') }
                      : {}
                }
                withPages={false}
              />
              <Text size="sm">{t('organization.people.page', { page, pages })}</Text>
            </Group>
          </nav>
        )}
      </Stack>
    </Section>
  );
}

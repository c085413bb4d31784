import type { RoleOverview, RoleProblem } from '@mamori/contracts';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import { scopeKey } from '@mamori/policy';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import { useRoleHolders, useRoleOverview, useUnitTree, type RoleHoldersQuery } from './api.js';
import { AssignRoleForm } from './assign-role-form.js';
import { DelegationsCard } from './delegations.js';
import {
  problemExplanation,
  todayIso,
  useIsoDateFormat,
  usePackLabels,
  usePeriodFormat,
} from './labels.js';
import { OrgSubnav } from './org-subnav.js';
import { useAssignmentDialogs } from './role-assignments-table.js';
import {
  assignableRoleOptions,
  DateField,
  ErrorAlert,
  HolderLink,
  ScopeKindRadio,
  scopeText,
  UnitSelect,
  useAsOfParam,
} from './shared.js';

type Entry = RoleOverview['entries'][number];

/**
 * Every role × scope with its holders (対策基準2), the cardinality and 兼務 problems of the
 * server's checks (std-2.9.1/2.9.2) highlighted with their clause and a Japanese explanation,
 * the privileged holders against the maximum (std-7.2.1.3a), and "who held role R for scope S on
 * date X".
 */
export function RoleOverviewPage() {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useAsOfParam();
  const overview = useRoleOverview(asOf);
  const tree = useUnitTree(asOf);
  const [assigning, setAssigning] = useState(false);
  const units = tree.data?.units ?? [];
  return (
    <>
      <PageHeader
        title={t('organization.roles.title')}
        description={t('organization.roles.description')}
      />
      <OrgSubnav />
      <Stack gap="lg">
        <Group align="flex-end" gap="md">
          <DateField label={t('organization.roles.asOf')} value={asOf} onChange={setAsOf} />
          {overview.data?.abilities.assignRole === true && (
            <Button
              onClick={() => {
                setAssigning(true);
              }}
            >
              {t('organization.assign.heading')}
            </Button>
          )}
        </Group>
        {overview.isError && <ErrorAlert error={overview.error} />}
        {overview.data && (
          <>
            <ProblemsCard overview={overview.data} />
            <PrivilegedCard privileged={overview.data.privileged} />
            <RolesTableCard entries={overview.data.entries} />
          </>
        )}
        <HoldersLookup units={units} />
        {overview.data && (
          <DelegationsCard canViewAll={overview.data.abilities.viewAllDelegations === true} />
        )}
      </Stack>
      <Modal
        opened={assigning}
        onClose={() => {
          setAssigning(false);
        }}
        title={t('organization.assign.heading')}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
        size="lg"
      >
        <AssignRoleForm
          units={units}
          onDone={() => {
            setAssigning(false);
          }}
        />
      </Modal>
    </>
  );
}

/** Every problem with its severity, role and scope, clause (根拠) and explanation. */
function ProblemsCard({ overview }: { overview: RoleOverview }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const problems = useMemo(
    () => [...overview.entries.flatMap((e) => e.problems), ...overview.problems],
    [overview],
  );
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="role-problems-heading">
      <Group gap="sm" mb="sm">
        <Title order={2} size="h3" id="role-problems-heading">
          {t('organization.roles.problemsHeading')}
        </Title>
        <Badge color={problems.some((p) => p.severity === 'error') ? 'red.9' : 'gray.8'}>
          {t('organization.roles.problemsCount', { count: problems.length })}
        </Badge>
      </Group>
      {problems.length === 0 ? (
        <Text size="sm">{t('organization.roles.noProblems')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="role-problems">
            <Table.Caption>{t('organization.roles.problemsCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('organization.roles.severity')}</Table.Th>
                <Table.Th scope="col">{t('organization.assignment.role')}</Table.Th>
                <Table.Th scope="col">{t('organization.assignment.scope')}</Table.Th>
                <Table.Th scope="col">{t('organization.roles.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.map((p, index) => (
                <Table.Tr key={`${p.code}-${String(index)}`} data-problem-code={p.code}>
                  <Table.Td>
                    <SeverityBadge severity={p.severity} />
                  </Table.Td>
                  <Table.Th scope="row" fw={400}>
                    {p.role === null ? '' : labels.role(p.role)}
                  </Table.Th>
                  <Table.Td>{p.scope === null ? '' : scopeText(t, p.scope)}</Table.Td>
                  <Table.Td>
                    <ProblemText problem={p} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function SeverityBadge({ severity }: { severity: RoleProblem['severity'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={severity === 'error' ? 'red.9' : 'grape.9'} variant="filled">
      {t(`organization.severity.${severity}`)}
    </Badge>
  );
}

/** The Japanese explanation of a problem code (the server's message when the code is unknown). */
function ProblemText({ problem }: { problem: RoleProblem }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm">{problemExplanation(t, problem.code) ?? problem.message}</Text>
      {problem.clauses.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('organization.clauses', { clauses: problem.clauses.join('、') })}
        </Text>
      )}
    </Stack>
  );
}

function PrivilegedCard({ privileged }: { privileged: RoleOverview['privileged'] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  return (
    <Section title={t('organization.roles.privilegedHeading')}>
      <Stack gap="sm">
        <Text data-testid="privileged-count" fw={700} c={privileged.exceeded ? 'red.9' : undefined}>
          {t('organization.roles.privilegedCount', {
            count: privileged.count,
            max: privileged.max,
          })}
        </Text>
        {privileged.exceeded && (
          <Alert color="red" role="alert">
            {t('organization.roles.privilegedExceeded')}{' '}
            {problemExplanation(t, 'privileged_over_limit')}
          </Alert>
        )}
        {privileged.holders.length > 0 && (
          <Table.ScrollContainer minWidth={500}>
            <Table striped>
              <Table.Caption>{t('organization.roles.privilegedCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('organization.roles.privilegedName')}</Table.Th>
                  <Table.Th scope="col">{t('organization.roles.privilegedRoles')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {privileged.holders.map((h) => (
                  <Table.Tr key={`${h.kind}-${h.id}`}>
                    <Table.Th scope="row" fw={400}>
                      {h.kind === 'person' ? (
                        <HolderLink holder={{ kind: 'person', personId: h.id, name: h.name }} />
                      ) : (
                        h.name
                      )}
                    </Table.Th>
                    <Table.Td>{h.roles.map((r) => labels.role(r)).join('、')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Section>
  );
}

function RolesTableCard({ entries }: { entries: readonly Entry[] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatPeriod = usePeriodFormat();
  const [role, setRole] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const { startEnding, startDelegating, dialogs } = useAssignmentDialogs();
  const roles = useMemo(() => [...new Set(entries.map((e) => e.role))], [entries]);
  const shown = entries.filter(
    (e) => (role === null || e.role === role) && (!onlyProblems || e.problems.length > 0),
  );
  return (
    <Section title={t('organization.roles.tableHeading')}>
      <Stack gap="sm">
        <Group align="flex-end" gap="md">
          <Select
            label={t('organization.roles.filter')}
            data={[
              { value: '', label: t('organization.roles.filterAll') },
              ...roles.map((r) => ({ value: r, label: labels.role(r) })),
            ]}
            value={role ?? ''}
            onChange={(value) => {
              setRole(value === '' || value === null ? null : value);
            }}
            allowDeselect={false}
            w={360}
          />
          <Switch
            label={t('organization.roles.onlyProblems')}
            checked={onlyProblems}
            onChange={(event) => {
              setOnlyProblems(event.currentTarget.checked);
            }}
          />
        </Group>
        <Table.ScrollContainer minWidth={900}>
          <Table data-testid="role-overview">
            <Table.Caption>{t('organization.roles.tableCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('organization.assignment.role')}</Table.Th>
                <Table.Th scope="col">{t('organization.assignment.scope')}</Table.Th>
                <Table.Th scope="col">{t('organization.roles.cardinality')}</Table.Th>
                <Table.Th scope="col">{t('organization.roles.holders')}</Table.Th>
                <Table.Th scope="col">{t('organization.roles.problems')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((entry) => {
                const hasError = entry.problems.some((p) => p.severity === 'error');
                const hasProblem = entry.problems.length > 0;
                return (
                  <Table.Tr
                    key={`${entry.role}-${scopeKey(entry.scope)}`}
                    data-role={entry.role}
                    data-has-problem={hasProblem}
                    bg={hasError ? 'red.0' : hasProblem ? 'yellow.0' : undefined}
                  >
                    <Table.Th scope="row" fw={400}>
                      {labels.role(entry.role)}
                    </Table.Th>
                    <Table.Td>{scopeText(t, entry.scope)}</Table.Td>
                    <Table.Td>{cardinalityLabel(t, entry.cardinality)}</Table.Td>
                    <Table.Td>
                      {entry.holders.length === 0 ? (
                        <Text size="sm" c="red.9" fw={700}>
                          {t('organization.roles.noHolder')}
                        </Text>
                      ) : (
                        <List size="sm" listStyleType="none" spacing={4}>
                          {entry.holders.map((h) => (
                            <List.Item key={h.id}>
                              <Group gap={6} wrap="wrap">
                                <HolderLink holder={h.holder} />
                                <Text size="xs" c="dimmed">
                                  {formatPeriod(h.validFrom, h.validTo)}
                                </Text>
                                {h.abilities.nominateDeputy && (
                                  <Button
                                    size="compact-xs"
                                    variant="default"
                                    onClick={() => {
                                      startDelegating(h);
                                    }}
                                  >
                                    {t('organization.assignment.nominateDeputy')}
                                  </Button>
                                )}
                                {h.abilities.end && (
                                  <Button
                                    size="compact-xs"
                                    variant="default"
                                    onClick={() => {
                                      startEnding(h);
                                    }}
                                  >
                                    {t('organization.assignment.end')}
                                  </Button>
                                )}
                              </Group>
                              {h.actingDeputy && (
                                <Text size="xs">
                                  {t('organization.assignment.actingDeputy', {
                                    name: h.actingDeputy.name,
                                    until: h.actingDeputy.until,
                                  })}
                                </Text>
                              )}
                            </List.Item>
                          ))}
                        </List>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={6}>
                        {entry.problems.map((p, index) => (
                          <Group
                            key={`${p.code}-${String(index)}`}
                            gap={6}
                            wrap="nowrap"
                            align="flex-start"
                          >
                            <SeverityBadge severity={p.severity} />
                            <ProblemText problem={p} />
                          </Group>
                        ))}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      {dialogs}
    </Section>
  );
}

function cardinalityLabel(t: TFunction, cardinality: string): string {
  switch (cardinality) {
    case 'exactly_one':
    case 'one_or_more':
    case 'at_most_one':
    case 'any':
      return t(`organization.cardinality.${cardinality}`);
    default:
      return cardinality;
  }
}

/** "Who held role R for scope S on date X" (during a delegation, the deputy acted). */
function HoldersLookup({ units }: { units: Parameters<typeof UnitSelect>[0]['units'] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatIso = useIsoDateFormat();
  const [role, setRole] = useState<string | null>('security_manager');
  const [scopeKind, setScopeKind] = useState<RoleHoldersQuery['scopeKind']>('unit');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [systemId, setSystemId] = useState('');
  const [date, setDate] = useState(todayIso());
  const [query, setQuery] = useState<RoleHoldersQuery | null>(null);
  const holders = useRoleHolders(query);
  const headingId = useId();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (role === null) return;
    if (scopeKind === 'unit' && unitId === null) return;
    setQuery({
      role,
      scopeKind,
      unitId: scopeKind === 'unit' ? (unitId ?? undefined) : undefined,
      systemId: scopeKind === 'system' ? systemId.trim() : undefined,
      date,
    });
  };
  return (
    <Section
      headingId={headingId}
      title={t('organization.roles.lookupHeading')}
      description={t('organization.roles.lookupDescription')}
    >
      <form onSubmit={submit} aria-labelledby={headingId}>
        <Stack gap="sm">
          <Group align="flex-end" gap="md" wrap="wrap">
            <Select
              label={t('organization.roles.lookupRole')}
              data={assignableRoleOptions(labels)}
              value={role}
              onChange={setRole}
              searchable
              allowDeselect={false}
              required
              w={360}
            />
            <DateField label={t('organization.roles.lookupDate')} value={date} onChange={setDate} />
          </Group>
          <ScopeKindRadio
            label={t('organization.roles.lookupScopeKind')}
            value={scopeKind}
            onChange={setScopeKind}
          />
          {scopeKind === 'unit' && (
            <UnitSelect
              label={t('organization.roles.lookupUnit')}
              units={units}
              value={unitId}
              onChange={setUnitId}
            />
          )}
          {scopeKind === 'system' && (
            <TextInput
              label={t('organization.roles.lookupSystem')}
              value={systemId}
              required
              onChange={(event) => {
                setSystemId(event.currentTarget.value);
              }}
              w={420}
            />
          )}
          <Group>
            <Button type="submit" variant="default">
              {t('organization.roles.lookupSubmit')}
            </Button>
          </Group>
          {holders.isError && <ErrorAlert error={holders.error} />}
          {holders.data && holders.data.holders.length === 0 && (
            <Text size="sm" role="status">
              {t('organization.roles.lookupNone')}
            </Text>
          )}
          {holders.data && holders.data.holders.length > 0 && (
            <Table striped data-testid="role-holders-result">
              <Table.Caption>
                {t('organization.roles.lookupCaption', { date: formatIso(holders.data.date) })}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('organization.assignment.holder')}</Table.Th>
                  <Table.Th scope="col">{t('organization.roles.actingPerson')}</Table.Th>
                  <Table.Th scope="col">{t('organization.assignment.scope')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {holders.data.holders.map((h) => (
                  <Table.Tr key={h.assignment.id}>
                    <Table.Th scope="row" fw={400}>
                      <HolderLink holder={h.assignment.holder} />
                    </Table.Th>
                    <Table.Td>
                      {h.actingPerson === null ? (
                        ''
                      ) : (
                        <>
                          <HolderLink
                            holder={{
                              kind: 'person',
                              personId: h.actingPerson.personId,
                              name: h.actingPerson.name,
                            }}
                          />
                          {h.deputyForPersonId !== null &&
                            ` ${t('organization.roles.deputyFor', { name: h.assignment.holder.name })}`}
                        </>
                      )}
                    </Table.Td>
                    <Table.Td>{scopeText(t, h.assignment.scope)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </form>
    </Section>
  );
}

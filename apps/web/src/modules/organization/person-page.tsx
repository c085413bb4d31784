import type {
  CreatePersonnelEventInput,
  PersonnelEvent,
  PersonPage as PersonPageData,
} from '@mamori/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import {
  useAddMembership,
  usePersonnelEvents,
  usePersonPage,
  useRecordPersonnelEvent,
  useUnitTree,
} from './api.js';
import { AssignRoleForm } from './assign-role-form.js';
import { DelegationsTable } from './delegations.js';
import { todayIso, useIsoDateFormat, usePackLabels, usePeriodFormat } from './labels.js';
import { organizationRoutes, OrgSubnav } from './org-subnav.js';
import { RoleAssignmentsTable } from './role-assignments-table.js';
import { DateField, ErrorAlert, PageQueryStatus, SubmitRow, UnitSelect } from './shared.js';

type Action = 'event' | 'membership' | 'assignRole';

/**
 * A person: フリガナ, employment (職員 / 非常勤・臨時 / 委託事業者), unit history, roles (current
 * and ended) with dates, the linked account and personnel events. Contact fields and history are
 * sent only to those the server's policy allows (`restricted` says why they are absent).
 */
export function PersonPage() {
  const { t } = useTranslation();
  const { personId = '' } = useParams();
  const page = usePersonPage(personId);
  const tree = useUnitTree(todayIso());
  const canSeeEvents = page.data?.person.abilities.update === true;
  const events = usePersonnelEvents(personId, canSeeEvents);
  const [action, setAction] = useState<Action | null>(null);
  const close = () => {
    setAction(null);
  };

  if (page.isError || !page.data) {
    return <PageQueryStatus query={page} errorTitle={t('organization.person.notFound')} />;
  }
  const data = page.data;
  const { person } = data;
  const today = todayIso();
  const currentRoles = data.roles.filter((r) => r.validTo === null || r.validTo > today);
  const endedRoles = data.roles.filter((r) => r.validTo !== null && r.validTo <= today);
  const units = tree.data?.units ?? [];
  const modalTitles: Record<Action, string> = {
    event: t('organization.person.recordEvent'),
    membership: t('organization.person.addMembership'),
    assignRole: t('organization.person.assignRole'),
  };
  const actions: { id: Action; allowed: boolean | undefined }[] = [
    { id: 'event', allowed: person.abilities.update },
    { id: 'membership', allowed: person.abilities.manageMemberships },
    { id: 'assignRole', allowed: person.abilities.assignRole },
  ];

  return (
    <>
      <PageHeader title={`${person.familyName} ${person.givenName}`} />
      <OrgSubnav />
      <Stack gap="lg">
        <PersonFacts data={data} />
        {actions.some((a) => a.allowed === true) && (
          <Group gap="sm">
            {actions
              .filter((a) => a.allowed === true)
              .map((a) => (
                <Button
                  key={a.id}
                  variant="default"
                  onClick={() => {
                    setAction(a.id);
                  }}
                >
                  {modalTitles[a.id]}
                </Button>
              ))}
          </Group>
        )}
        <Section title={t('organization.person.rolesHeading')}>
          <Stack gap="md">
            {data.roles.length === 0 && (
              <Text size="sm">{t('organization.person.rolesEmpty')}</Text>
            )}
            {currentRoles.length > 0 && (
              <RoleAssignmentsTable
                assignments={currentRoles}
                caption={t('organization.person.rolesCaption', {
                  label: t('organization.person.rolesCurrent'),
                })}
                showHolder={false}
                testId="person-roles-current"
              />
            )}
            {endedRoles.length > 0 && (
              <RoleAssignmentsTable
                assignments={endedRoles}
                caption={t('organization.person.rolesCaption', {
                  label: t('organization.person.rolesEnded'),
                })}
                showHolder={false}
                testId="person-roles-ended"
              />
            )}
          </Stack>
        </Section>
        {!data.restricted && (
          <Section title={t('organization.person.membershipsHeading')}>
            <MembershipsTable memberships={data.memberships} />
          </Section>
        )}
        {!data.restricted && data.delegations.length > 0 && (
          <Section title={t('organization.delegation.heading')}>
            <DelegationsTable delegations={data.delegations} />
          </Section>
        )}
        {canSeeEvents && (
          <Section title={t('organization.person.eventsHeading')}>
            {events.isError && <ErrorAlert error={events.error} />}
            {events.data && <EventsTable events={events.data.events} />}
          </Section>
        )}
      </Stack>
      <Modal
        opened={action !== null}
        onClose={close}
        title={action === null ? '' : modalTitles[action]}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
        size="lg"
      >
        {action === 'event' && (
          <PersonnelEventForm personId={person.id} units={units} onDone={close} />
        )}
        {action === 'membership' && (
          <MembershipForm personId={person.id} units={units} onDone={close} />
        )}
        {action === 'assignRole' && (
          <AssignRoleForm units={units} initial={{ personId: person.id }} onDone={close} />
        )}
      </Modal>
    </>
  );
}

function PersonFacts({ data }: { data: PersonPageData }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const { person } = data;
  const facts: [string, ReactNode][] = [
    [t('organization.person.kana'), `${person.familyNameKana} ${person.givenNameKana}`],
    [t('organization.person.employeeNumber'), person.employeeNumber ?? t('organization.none')],
    [t('organization.person.employment'), labels.employment(person.employment)],
    [t('organization.person.status'), t(`organization.personStatus.${person.status}`)],
    [
      t('organization.person.primaryUnit'),
      person.primaryUnit === null ? (
        t('organization.none')
      ) : (
        <Anchor component={Link} to={organizationRoutes.unit(person.primaryUnit.id)}>
          {person.primaryUnit.name}
        </Anchor>
      ),
    ],
  ];
  if (!data.restricted) {
    facts.push([t('organization.person.email'), person.email ?? t('organization.none')]);
    if (person.contractor !== null) {
      facts.push([t('organization.person.contractor'), person.contractor.name]);
    }
    facts.push([
      t('organization.person.account'),
      person.accountId === null
        ? t('organization.person.accountNone')
        : t('organization.person.accountLinked'),
    ]);
  }
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-label={`${person.familyName} ${person.givenName}`}
    >
      <dl
        data-testid="person-facts"
        style={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          gap: '4px 16px',
          margin: 0,
        }}
      >
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd style={{ margin: 0 }}>{value}</dd>
          </div>
        ))}
      </dl>
      {data.restricted && (
        <Alert color="gray" mt="sm" data-testid="person-restricted">
          {t('organization.person.restricted')}
        </Alert>
      )}
    </Card>
  );
}

function MembershipsTable({ memberships }: { memberships: PersonPageData['memberships'] }) {
  const { t } = useTranslation();
  const formatPeriod = usePeriodFormat();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="person-memberships">
        <Table.Caption>{t('organization.person.membershipsCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.people.unit')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.form.kind')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.position')}</Table.Th>
            <Table.Th scope="col">{t('organization.assignment.period')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {memberships.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Th scope="row" fw={400}>
                <Anchor component={Link} to={organizationRoutes.unit(m.unitId)}>
                  {m.unitName}
                </Anchor>
              </Table.Th>
              <Table.Td>
                <Badge variant="outline" color={m.kind === 'primary' ? 'blue.9' : 'grape.9'}>
                  {t(`organization.membershipKind.${m.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{m.positionTitle ?? ''}</Table.Td>
              <Table.Td>{formatPeriod(m.validFrom, m.validTo)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EventsTable({ events }: { events: readonly PersonnelEvent[] }) {
  const { t } = useTranslation();
  const formatIso = useIsoDateFormat();
  if (events.length === 0) return <Text size="sm">{t('organization.person.eventsEmpty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="person-events">
        <Table.Caption>{t('organization.person.eventsCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.person.effectiveDate')}</Table.Th>
            <Table.Th scope="col">{t('organization.person.eventKind')}</Table.Th>
            <Table.Th scope="col">{t('organization.person.eventStatus')}</Table.Th>
            <Table.Th scope="col">{t('organization.person.eventDetails')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Th scope="row" fw={400}>
                {formatIso(e.effectiveDate)}
              </Table.Th>
              <Table.Td>{t(`organization.person.eventKinds.${e.kind}`)}</Table.Td>
              <Table.Td>{t(`organization.person.eventStatuses.${e.status}`)}</Table.Td>
              <Table.Td>
                <Text size="sm">{detailText(e.details)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The free-form details of an event (unit names, reason) as one line. */
function detailText(details: Record<string, unknown>): string {
  return Object.values(details)
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .filter((v) => !/^[0-9a-f-]{36}$/.test(String(v)))
    .join(' / ');
}

type EventKind = 'transfer' | 'leave' | 'leave_of_absence' | 'return';

/** Records a personnel event (異動・退職・休職・復職) effective on a date (std-6.1.1.8 on leaving). */
function PersonnelEventForm({
  personId,
  units,
  onDone,
}: {
  personId: string;
  units: Parameters<typeof UnitSelect>[0]['units'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const record = useRecordPersonnelEvent();
  const [kind, setKind] = useState<EventKind>('transfer');
  const [effectiveDate, setEffectiveDate] = useState(todayIso());
  const [toUnitId, setToUnitId] = useState<string | null>(null);
  const [positionTitle, setPositionTitle] = useState('');
  const [expectedReturn, setExpectedReturn] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const optional = (v: string) => (v.trim() === '' ? undefined : v);
    let input: CreatePersonnelEventInput;
    switch (kind) {
      case 'transfer':
        if (toUnitId === null) return;
        input = {
          kind,
          personId,
          effectiveDate,
          toUnitId,
          positionTitle: optional(positionTitle),
          reason: optional(reason),
        };
        break;
      case 'leave_of_absence':
        input = {
          kind,
          personId,
          effectiveDate,
          expectedReturn: optional(expectedReturn),
          reason: optional(reason),
        };
        break;
      default:
        input = { kind, personId, effectiveDate, reason: optional(reason) };
    }
    record.mutate(input, { onSuccess: onDone });
  };
  const kinds: EventKind[] = ['transfer', 'leave', 'leave_of_absence', 'return'];
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label={t('organization.person.eventKind')}
          data={kinds.map((k) => ({ value: k, label: t(`organization.person.eventKinds.${k}`) }))}
          value={kind}
          onChange={(value) => {
            if (value !== null) setKind(value);
          }}
          allowDeselect={false}
          w={240}
          comboboxProps={{ withinPortal: true }}
        />
        <DateField
          label={t('organization.person.effectiveDate')}
          value={effectiveDate}
          onChange={setEffectiveDate}
        />
        {kind === 'leave' && <Text size="sm">{t('organization.person.leaveHint')}</Text>}
        {kind === 'transfer' && (
          <>
            <UnitSelect
              label={t('organization.person.toUnit')}
              units={units}
              value={toUnitId}
              onChange={setToUnitId}
            />
            <TextInput
              label={t('organization.unit.form.positionTitle')}
              value={positionTitle}
              onChange={(event) => {
                setPositionTitle(event.currentTarget.value);
              }}
              w={320}
            />
          </>
        )}
        {kind === 'leave_of_absence' && (
          <DateField
            label={t('organization.person.expectedReturn')}
            value={expectedReturn}
            onChange={setExpectedReturn}
            required={false}
          />
        )}
        <TextInput
          label={t('organization.person.reason')}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
          w={420}
        />
        <SubmitRow mutation={record} />
      </Stack>
    </form>
  );
}

function MembershipForm({
  personId,
  units,
  onDone,
}: {
  personId: string;
  units: Parameters<typeof UnitSelect>[0]['units'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const add = useAddMembership();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [kind, setKind] = useState<'primary' | 'additional'>('additional');
  const [validFrom, setValidFrom] = useState(todayIso());
  const [positionTitle, setPositionTitle] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (unitId === null) return;
    add.mutate(
      {
        personId,
        unitId,
        kind,
        validFrom,
        positionTitle: positionTitle.trim() === '' ? undefined : positionTitle,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <UnitSelect
          label={t('organization.people.unit')}
          units={units}
          value={unitId}
          onChange={setUnitId}
        />
        <Select
          label={t('organization.unit.form.kind')}
          data={(['primary', 'additional'] as const).map((k) => ({
            value: k,
            label: t(`organization.membershipKind.${k}`),
          }))}
          value={kind}
          onChange={(value) => {
            setKind(value === 'primary' ? 'primary' : 'additional');
          }}
          allowDeselect={false}
          w={200}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('organization.unit.form.positionTitle')}
          value={positionTitle}
          onChange={(event) => {
            setPositionTitle(event.currentTarget.value);
          }}
          w={320}
        />
        <DateField
          label={t('organization.unit.form.validFrom')}
          value={validFrom}
          onChange={setValidFrom}
        />
        <SubmitRow mutation={add} />
      </Stack>
    </form>
  );
}

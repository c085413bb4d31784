import type { DelegationView, RoleAssignmentView } from '@mamori/contracts';
import {
  Badge,
  Button,
  Group,
  Modal,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../../app/use-date-time-format.js';
import { Section } from '../../layout/section.js';
import { useCreateDelegation, useDelegations, useRevokeDelegation } from './api.js';
import { todayIso, usePackLabels } from './labels.js';
import {
  AssignmentSummary,
  ErrorAlert,
  HolderLink,
  PersonPicker,
  scopeText,
  SubmitRow,
} from './shared.js';

/** A `datetime-local` value read as Asia/Tokyo time (the app shows every time in Tokyo time). */
function tokyoInstant(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+09:00`;
}

/**
 * Names a deputy (代行者) for a role holding over a period, with a reason (std-7.2.1.3b/c). The
 * server checks the deputy (not the applicant of pending requests) and notifies the
 * chief_security_officer and the holder's superior.
 */
export function DelegationForm({
  assignment,
  onDone,
}: {
  assignment: RoleAssignmentView;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateDelegation();
  const [deputy, setDeputy] = useState<string | null>(null);
  const [startsAt, setStartsAt] = useState(`${todayIso()}T08:30`);
  const [endsAt, setEndsAt] = useState(`${todayIso()}T17:15`);
  const [reason, setReason] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (deputy === null) return;
    create.mutate(
      {
        assignmentId: assignment.id,
        deputyPersonId: deputy,
        startsAt: tokyoInstant(startsAt),
        endsAt: tokyoInstant(endsAt),
        reason,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label={t('organization.delegation.heading')}>
      <Stack gap="sm">
        <Text size="sm">{t('organization.delegation.description')}</Text>
        <AssignmentSummary assignment={assignment} />
        <PersonPicker
          label={t('organization.delegation.deputy')}
          value={deputy}
          onChange={setDeputy}
        />
        <Group gap="sm">
          <TextInput
            type="datetime-local"
            label={t('organization.delegation.startsAt')}
            value={startsAt}
            required
            onChange={(event) => {
              setStartsAt(event.currentTarget.value);
            }}
          />
          <TextInput
            type="datetime-local"
            label={t('organization.delegation.endsAt')}
            value={endsAt}
            required
            onChange={(event) => {
              setEndsAt(event.currentTarget.value);
            }}
          />
        </Group>
        <Textarea
          label={t('organization.delegation.reason')}
          value={reason}
          required
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <SubmitRow
          mutation={create}
          disabled={deputy === null}
          label={t('organization.delegation.submit')}
        />
      </Stack>
    </form>
  );
}

/** Delegations as a table with revoke (from each row's abilities). */
export function DelegationsTable({ delegations }: { delegations: readonly DelegationView[] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatDateTime = useDateTimeFormat();
  const [revoking, setRevoking] = useState<DelegationView | null>(null);
  if (delegations.length === 0) return <Text size="sm">{t('organization.delegation.empty')}</Text>;
  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table striped data-testid="delegations-table">
          <Table.Caption>{t('organization.delegation.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('organization.delegation.assignment')}</Table.Th>
              <Table.Th scope="col">{t('organization.delegation.holder')}</Table.Th>
              <Table.Th scope="col">{t('organization.delegation.deputy')}</Table.Th>
              <Table.Th scope="col">{t('organization.delegation.startsAt')}</Table.Th>
              <Table.Th scope="col">{t('organization.delegation.endsAt')}</Table.Th>
              <Table.Th scope="col">{t('organization.delegation.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {delegations.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Th scope="row" fw={400}>
                  {labels.role(d.role)} / {scopeText(t, d.scope)}
                  <Text size="xs" c="dimmed">
                    {d.reason}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <HolderLink
                    holder={{ kind: 'person', personId: d.holder.personId, name: d.holder.name }}
                  />
                </Table.Td>
                <Table.Td>
                  <HolderLink
                    holder={{ kind: 'person', personId: d.deputy.personId, name: d.deputy.name }}
                  />
                </Table.Td>
                <Table.Td>{formatDateTime(d.startsAt)}</Table.Td>
                <Table.Td>{formatDateTime(d.endsAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Badge color={d.revokedAt === null ? 'teal.9' : 'gray.8'} variant="outline">
                      {t(
                        d.revokedAt === null
                          ? 'organization.delegation.active'
                          : 'organization.delegation.revoked',
                      )}
                    </Badge>
                    {d.abilities.revoke && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          setRevoking(d);
                        }}
                      >
                        {t('organization.delegation.revoke')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={revoking !== null}
        onClose={() => {
          setRevoking(null);
        }}
        title={t('organization.delegation.revoke')}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
      >
        {revoking && (
          <RevokeForm
            delegation={revoking}
            onDone={() => {
              setRevoking(null);
            }}
          />
        )}
      </Modal>
    </>
  );
}

function RevokeForm({ delegation, onDone }: { delegation: DelegationView; onDone: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeDelegation();
  const [reason, setReason] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    revoke.mutate({ delegationId: delegation.id, reason }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Textarea
          label={t('organization.delegation.revokeReason')}
          value={reason}
          required
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <SubmitRow
          mutation={revoke}
          color="red"
          label={t('organization.delegation.submitRevoke')}
        />
      </Stack>
    </form>
  );
}

/** The caller's delegations (as holder or deputy), or all of them for org-wide roles. */
export function DelegationsCard({ canViewAll }: { canViewAll: boolean }) {
  const { t } = useTranslation();
  const [viewAll, setViewAll] = useState(false);
  const delegations = useDelegations(canViewAll && viewAll ? 'all' : 'mine');
  return (
    <Section title={t('organization.delegation.heading')}>
      <Stack gap="sm">
        <Text size="sm">{t('organization.delegation.description')}</Text>
        {canViewAll && (
          <Switch
            label={t('organization.delegation.viewAll')}
            checked={viewAll}
            onChange={(event) => {
              setViewAll(event.currentTarget.checked);
            }}
          />
        )}
        {delegations.isError && <ErrorAlert error={delegations.error} />}
        {delegations.data && <DelegationsTable delegations={delegations.data} />}
      </Stack>
    </Section>
  );
}

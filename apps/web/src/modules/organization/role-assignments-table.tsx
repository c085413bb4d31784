import type { RoleAssignmentView } from '@mamori/contracts';
import { Anchor, Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useEndRoleAssignment } from './api.js';
import { DelegationForm } from './delegations.js';
import { todayIso, usePackLabels, usePeriodFormat } from './labels.js';
import { organizationRoutes } from './org-subnav.js';
import { AssignmentSummary, DateField, HolderLink, scopeText, SubmitRow } from './shared.js';

type Holding = RoleAssignmentView & {
  actingDeputy?: { personId: string; name: string; until: string } | null;
};

/** Role assignments with scope, holder and period; actions come from each row's abilities. */
export function RoleAssignmentsTable({
  assignments,
  caption,
  testId,
  showHolder = true,
}: {
  assignments: readonly Holding[];
  caption: string;
  testId?: string;
  showHolder?: boolean;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatPeriod = usePeriodFormat();
  const { startEnding, startDelegating, dialogs } = useAssignmentDialogs();
  const hasActions = assignments.some((a) => a.abilities.end || a.abilities.nominateDeputy);
  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table striped data-testid={testId}>
          <Table.Caption>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('organization.assignment.role')}</Table.Th>
              <Table.Th scope="col">{t('organization.assignment.scope')}</Table.Th>
              {showHolder && <Table.Th scope="col">{t('organization.assignment.holder')}</Table.Th>}
              <Table.Th scope="col">{t('organization.assignment.period')}</Table.Th>
              <Table.Th scope="col">{t('organization.assignment.note')}</Table.Th>
              {hasActions && (
                <Table.Th scope="col">{t('organization.assignment.actions')}</Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {assignments.map((a) => (
              <Table.Tr key={a.id} data-role={a.role}>
                <Table.Th scope="row" fw={400}>
                  {labels.role(a.role)}
                </Table.Th>
                <Table.Td>
                  {a.scope.kind === 'unit' ? (
                    <Anchor component={Link} to={organizationRoutes.unit(a.scope.unitId)}>
                      {scopeText(t, a.scope)}
                    </Anchor>
                  ) : (
                    scopeText(t, a.scope)
                  )}
                </Table.Td>
                {showHolder && (
                  <Table.Td>
                    <HolderLink holder={a.holder} />
                    {a.actingDeputy && (
                      <Text size="xs" c="dimmed">
                        {t('organization.assignment.actingDeputy', {
                          name: a.actingDeputy.name,
                          until: a.actingDeputy.until,
                        })}
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>{formatPeriod(a.validFrom, a.validTo)}</Table.Td>
                <Table.Td>
                  {a.note !== null && <Text size="sm">{a.note}</Text>}
                  {a.exceptionReason !== null && (
                    <Text size="sm">
                      <Badge color="grape.9" variant="outline" size="sm" mr={4}>
                        {t('organization.assignment.exceptionReason')}
                      </Badge>
                      {a.exceptionReason}
                    </Text>
                  )}
                  {a.endReason !== null && (
                    <Text size="xs" c="dimmed">
                      {t('organization.assignment.endReason')}: {a.endReason}
                    </Text>
                  )}
                </Table.Td>
                {hasActions && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {a.abilities.nominateDeputy && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            startDelegating(a);
                          }}
                        >
                          {t('organization.assignment.nominateDeputy')}
                        </Button>
                      )}
                      {a.abilities.end && (
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          onClick={() => {
                            startEnding(a);
                          }}
                        >
                          {t('organization.assignment.end')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {dialogs}
    </>
  );
}

/**
 * The end and nominate-deputy (代行者) dialogs of role holdings, opened from any list of them:
 * render `dialogs` once and call `startEnding` / `startDelegating` from the row's buttons.
 */
export function useAssignmentDialogs(): {
  startEnding: (assignment: RoleAssignmentView) => void;
  startDelegating: (assignment: RoleAssignmentView) => void;
  dialogs: ReactNode;
} {
  const { t } = useTranslation();
  const [ending, setEnding] = useState<RoleAssignmentView | null>(null);
  const [delegating, setDelegating] = useState<RoleAssignmentView | null>(null);
  const dialogs = (
    <>
      <Modal
        opened={ending !== null}
        onClose={() => {
          setEnding(null);
        }}
        title={t('organization.assignment.endTitle')}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
      >
        {ending && (
          <EndAssignmentForm
            assignment={ending}
            onDone={() => {
              setEnding(null);
            }}
          />
        )}
      </Modal>
      <Modal
        opened={delegating !== null}
        onClose={() => {
          setDelegating(null);
        }}
        title={t('organization.delegation.heading')}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
        size="lg"
      >
        {delegating && (
          <DelegationForm
            assignment={delegating}
            onDone={() => {
              setDelegating(null);
            }}
          />
        )}
      </Modal>
    </>
  );
  return { startEnding: setEnding, startDelegating: setDelegating, dialogs };
}

/** Ends a role holding on a date with a reason (the assignment is kept, never deleted). */
export function EndAssignmentForm({
  assignment,
  onDone,
}: {
  assignment: RoleAssignmentView;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const end = useEndRoleAssignment();
  const [validTo, setValidTo] = useState(todayIso());
  const [reason, setReason] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    end.mutate({ assignmentId: assignment.id, validTo, reason }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <AssignmentSummary assignment={assignment} />
        <DateField
          label={t('organization.assignment.validTo')}
          value={validTo}
          onChange={setValidTo}
        />
        <Textarea
          label={t('organization.assignment.reason')}
          value={reason}
          required
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <SubmitRow mutation={end} color="red" label={t('organization.assignment.submitEnd')} />
      </Stack>
    </form>
  );
}

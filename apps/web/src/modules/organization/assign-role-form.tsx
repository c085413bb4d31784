import type { AssignRoleInput, RoleAssignmentView, UnitTree } from '@mamori/contracts';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useAssignRole } from './api.js';
import { todayIso, usePackLabels } from './labels.js';
import {
  assignableRoleOptions,
  DateField,
  ErrorAlert,
  PersonPicker,
  ScopeKindRadio,
  scopeText,
  UnitSelect,
  type ScopeKind,
} from './shared.js';

/**
 * Assigns a policy role to a person or a unit for a scope from a date. Role grants are privileged
 * (std-7.2.5): the API may answer `step_up_required`, which the identity module's step-up dialog
 * handles through the API client (the call is sent again once the user re-presents a factor).
 * A 兼務 conflict (std-2.9.1/2.9.2) needs a recorded exception reason; the server says so.
 */
export function AssignRoleForm({
  units,
  initial,
  currentHolders = [],
  onDone,
}: {
  units: UnitTree['units'];
  initial?: {
    role?: string;
    personId?: string;
    scopeKind?: ScopeKind;
    scopeUnitId?: string;
    scopeSystemId?: string;
  };
  /** Current holders of the same role and scope, offered for replacement (交代). */
  currentHolders?: readonly RoleAssignmentView[];
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const assign = useAssignRole();
  const [role, setRole] = useState<string | null>(initial?.role ?? null);
  const [holderKind, setHolderKind] = useState<'person' | 'unit'>('person');
  const [personId, setPersonId] = useState<string | null>(initial?.personId ?? null);
  const [holderUnitId, setHolderUnitId] = useState<string | null>(null);
  const [scopeKind, setScopeKind] = useState<ScopeKind>(initial?.scopeKind ?? 'unit');
  const [scopeUnitId, setScopeUnitId] = useState<string | null>(initial?.scopeUnitId ?? null);
  const [scopeSystemId, setScopeSystemId] = useState(initial?.scopeSystemId ?? '');
  const [validFrom, setValidFrom] = useState(todayIso());
  const [note, setNote] = useState('');
  const [exceptionReason, setExceptionReason] = useState('');
  const [replaces, setReplaces] = useState<string[]>([]);
  const needsException =
    assign.error instanceof ApiError && assign.error.code === 'role_exception_reason_required';

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (role === null) return;
    const holder: AssignRoleInput['holder'] | null =
      holderKind === 'person'
        ? personId === null
          ? null
          : { kind: 'person', personId }
        : holderUnitId === null
          ? null
          : { kind: 'unit', unitId: holderUnitId };
    const scope: AssignRoleInput['scope'] | null =
      scopeKind === 'tenant'
        ? { kind: 'tenant' }
        : scopeKind === 'unit'
          ? scopeUnitId === null
            ? null
            : { kind: 'unit', unitId: scopeUnitId }
          : scopeSystemId.trim() === ''
            ? null
            : { kind: 'system', systemId: scopeSystemId.trim() };
    if (holder === null || scope === null) return;
    assign.mutate(
      {
        role,
        holder,
        scope,
        validFrom,
        note: note.trim() === '' ? undefined : note,
        exceptionReason: exceptionReason.trim() === '' ? undefined : exceptionReason,
        replacesAssignmentIds: replaces,
      },
      {
        onSuccess: () => {
          onDone?.();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t('organization.assign.heading')}>
      <Stack gap="sm">
        <Text size="sm">{t('organization.assign.privilegedHint')}</Text>
        <Select
          label={t('organization.assign.role')}
          data={assignableRoleOptions(labels)}
          value={role}
          onChange={setRole}
          required
          searchable
          allowDeselect={false}
          w={420}
          comboboxProps={{ withinPortal: true }}
        />
        <Radio.Group
          label={t('organization.assign.holderKind')}
          value={holderKind}
          onChange={(value) => {
            setHolderKind(value === 'unit' ? 'unit' : 'person');
          }}
        >
          <Group gap="md" mt={4}>
            <Radio value="person" label={t('organization.assign.holderPerson')} />
            <Radio value="unit" label={t('organization.assign.holderUnit')} />
          </Group>
        </Radio.Group>
        {holderKind === 'person' ? (
          <PersonPicker
            label={t('organization.assign.person')}
            value={personId}
            onChange={setPersonId}
          />
        ) : (
          <UnitSelect
            label={t('organization.assign.unit')}
            units={units}
            value={holderUnitId}
            onChange={setHolderUnitId}
          />
        )}
        <ScopeKindRadio
          label={t('organization.assign.scopeKind')}
          value={scopeKind}
          onChange={setScopeKind}
        />
        {scopeKind === 'unit' && (
          <UnitSelect
            label={t('organization.assign.scopeUnit')}
            units={units}
            value={scopeUnitId}
            onChange={setScopeUnitId}
          />
        )}
        {scopeKind === 'system' && (
          <TextInput
            label={t('organization.assign.scopeSystem')}
            value={scopeSystemId}
            required
            onChange={(event) => {
              setScopeSystemId(event.currentTarget.value);
            }}
            w={420}
          />
        )}
        <DateField
          label={t('organization.assign.validFrom')}
          value={validFrom}
          onChange={setValidFrom}
        />
        {currentHolders.length > 0 && (
          <Checkbox.Group
            label={t('organization.assign.replaces')}
            value={replaces}
            onChange={setReplaces}
          >
            <Stack gap={4} mt={4}>
              {currentHolders.map((a) => (
                <Checkbox
                  key={a.id}
                  value={a.id}
                  label={`${a.holder.name}（${labels.role(a.role)} / ${scopeText(t, a.scope)}）`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <TextInput
          label={t('organization.assign.note')}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
          }}
          w={420}
        />
        <Textarea
          label={t('organization.assign.exceptionReason')}
          value={exceptionReason}
          required={needsException}
          error={needsException}
          onChange={(event) => {
            setExceptionReason(event.currentTarget.value);
          }}
        />
        {assign.isError && <ErrorAlert error={assign.error} />}
        {assign.isSuccess && (
          <Alert color="teal" role="status">
            {t('organization.assign.done')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={assign.isPending} disabled={role === null}>
            {t('organization.assign.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

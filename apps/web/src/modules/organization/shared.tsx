import type { RoleAssignmentView, UnitTree } from '@mamori/contracts';
import { Alert, Anchor, Button, Group, Radio, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { localizeApiError } from '../../api/client.js';
import { PageHeader } from '../../layout/page-header.js';
import { usePeople } from './api.js';
import { todayIso, usePackLabels } from './labels.js';
import { OrgSubnav, organizationRoutes } from './org-subnav.js';

/** A failed call, localized (errors.<code>), announced to screen readers. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert">
      {localizeApiError(error, t)}
    </Alert>
  );
}

/**
 * What a page shows instead of its object: the localized error under `errorTitle` (not found or
 * not visible, always as a 404) or, while loading, a status line.
 */
export function PageQueryStatus({
  query,
  errorTitle,
}: {
  query: { isError: boolean; error: unknown };
  errorTitle: string;
}) {
  const { t } = useTranslation();
  if (query.isError) {
    return (
      <>
        <PageHeader title={errorTitle} />
        <OrgSubnav />
        <ErrorAlert error={query.error} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('organization.title')} />
      <Text role="status">{t('organization.loading')}</Text>
    </>
  );
}

/** The `asOf` date of a page from its URL (today when absent; today is kept out of the URL). */
export function useAsOfParam(): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? todayIso();
  const setAsOf = (value: string) => {
    setParams(value === '' || value === todayIso() ? {} : { asOf: value }, { replace: true });
  };
  return [asOf, setAsOf];
}

/** A mutation form's error (when the last submit failed) and its submit button. */
export function SubmitRow({
  mutation,
  label,
  color,
  disabled,
}: {
  mutation: { isPending: boolean; isError: boolean; error: unknown };
  label?: string;
  color?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {mutation.isError && <ErrorAlert error={mutation.error} />}
      <Group>
        <Button type="submit" color={color} loading={mutation.isPending} disabled={disabled}>
          {label ?? t('organization.unit.form.submit')}
        </Button>
      </Group>
    </>
  );
}

/** A calendar date input (`YYYY-MM-DD`, the browser's date picker). */
export function DateField({
  label,
  value,
  onChange,
  description,
  required = true,
  w = 200,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: string;
  required?: boolean;
  w?: number;
}) {
  return (
    <TextInput
      type="date"
      label={label}
      description={description}
      value={value}
      required={required}
      w={w}
      onChange={(event) => {
        onChange(event.currentTarget.value);
      }}
    />
  );
}

/** Units of a tree in tree order, each with its depth (for indented lists and selects). */
export function flattenTree(
  units: UnitTree['units'],
): { unit: UnitTree['units'][number]; depth: number }[] {
  const children = new Map<string | null, UnitTree['units']>();
  const ids = new Set(units.map((u) => u.id));
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(unit);
    children.set(parent, list);
  }
  const order = (list: UnitTree['units']) =>
    [...list].sort(
      (a, b) =>
        a.sortOrder - b.sortOrder ||
        (a.nameKana ?? a.name).localeCompare(b.nameKana ?? b.name, 'ja'),
    );
  const result: { unit: UnitTree['units'][number]; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const unit of order(children.get(parent) ?? [])) {
      result.push({ unit, depth });
      visit(unit.id, depth + 1);
    }
  };
  visit(null, 0);
  return result;
}

/** A unit chosen from the tree (indented by level, with its kind). */
export function UnitSelect({
  label,
  units,
  value,
  onChange,
  allowRoot = false,
  required = true,
}: {
  label: string;
  units: UnitTree['units'];
  value: string | null;
  onChange: (value: string | null) => void;
  allowRoot?: boolean;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const data = useMemo(
    () => [
      ...(allowRoot ? [{ value: '', label: t('organization.unit.form.noParent') }] : []),
      ...flattenTree(units).map(({ unit, depth }) => ({
        value: unit.id,
        label: `${'　'.repeat(depth)}${unit.name}（${labels.unitKind(unit.kind)}）`,
      })),
    ],
    [units, allowRoot, t, labels],
  );
  return (
    <Select
      label={label}
      data={data}
      value={value ?? (allowRoot ? '' : null)}
      onChange={(next) => {
        onChange(next === '' ? null : next);
      }}
      searchable
      required={required}
      allowDeselect={false}
      w={360}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** A person chosen by searching names and readings on the server. */
export function PersonPicker({
  label,
  value,
  onChange,
  required = true,
}: {
  label: string;
  value: string | null;
  onChange: (personId: string | null) => void;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const people = usePeople({ q: debounced, page: 1, pageSize: 20 }, debounced !== '');
  const data = useMemo(() => {
    const found = (people.data?.items ?? []).map((p) => ({
      value: p.id,
      label: `${p.familyName} ${p.givenName}（${p.familyNameKana} ${p.givenNameKana}）${
        p.primaryUnit === null ? '' : ` ${p.primaryUnit.name}`
      }`,
    }));
    return chosen !== null && !found.some((o) => o.value === chosen.value)
      ? [chosen, ...found]
      : found;
  }, [people.data, chosen]);
  return (
    <Select
      label={label}
      placeholder={t('organization.personPicker.placeholder')}
      nothingFoundMessage={
        debounced === '' ? undefined : t('organization.personPicker.nothingFound')
      }
      data={data}
      value={value}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      onChange={(next, option) => {
        setChosen(next === null ? null : { value: next, label: option?.label ?? next });
        onChange(next);
      }}
      required={required}
      w={420}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The display of a role's scope: 全庁, a unit, or an information system. */
export function scopeText(t: TFunction, scope: RoleAssignmentView['scope'] | null): string {
  if (scope === null) return t('organization.scope.tenant');
  switch (scope.kind) {
    case 'tenant':
      return t('organization.scope.tenant');
    case 'unit':
      return t('organization.scope.unit', { name: scope.name });
    case 'system':
      return t('organization.scope.system', { name: scope.name });
  }
}

/** A role holder (a person or a unit) as a link to its page. */
export function HolderLink({ holder }: { holder: RoleAssignmentView['holder'] }) {
  return holder.kind === 'person' ? (
    <Anchor component={Link} to={organizationRoutes.person(holder.personId)}>
      {holder.name}
    </Anchor>
  ) : (
    <Anchor component={Link} to={organizationRoutes.unit(holder.unitId)}>
      {holder.name}
    </Anchor>
  );
}

/** The kinds of scope a role is held for (全庁, a unit, an information system). */
export type ScopeKind = 'tenant' | 'unit' | 'system';

/** The choice of a role's scope kind. */
export function ScopeKindRadio({
  label,
  value,
  onChange,
}: {
  label: string;
  value: ScopeKind;
  onChange: (value: ScopeKind) => void;
}) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      label={label}
      value={value}
      onChange={(next) => {
        onChange(next === 'tenant' || next === 'system' ? next : 'unit');
      }}
    >
      <Group gap="md" mt={4}>
        {(['tenant', 'unit', 'system'] as const).map((kind) => (
          <Radio key={kind} value={kind} label={t(`organization.roles.scopeKinds.${kind}`)} />
        ))}
      </Group>
    </Radio.Group>
  );
}

/** The roles a person or unit may be assigned (everyone is `staff` without an assignment). */
export function assignableRoleOptions(
  labels: ReturnType<typeof usePackLabels>,
): { value: string; label: string }[] {
  return labels.roleIds
    .filter((id) => id !== 'staff')
    .map((id) => ({ value: id, label: labels.role(id) }));
}

/** One role holding in a line: role / scope / holder (at the top of the forms acting on it). */
export function AssignmentSummary({ assignment }: { assignment: RoleAssignmentView }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  return (
    <Text size="sm">
      {labels.role(assignment.role)} / {scopeText(t, assignment.scope)} / {assignment.holder.name}
    </Text>
  );
}

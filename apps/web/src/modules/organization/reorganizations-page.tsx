import type {
  CreateReorganizationInput,
  ReorgOperationInput,
  Reorganization,
  ReorganizationPreview,
  UnitTree,
} from '@mamori/contracts';
import {
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import {
  useApplyReorganization,
  useCancelReorganization,
  useCreateReorganization,
  useReorganizationPreview,
  useReorganizations,
  useUnitPage,
  useUnitTree,
} from './api.js';
import {
  type PackLabels,
  reorgProblemExplanation,
  todayIso,
  useIsoDateFormat,
  usePackLabels,
} from './labels.js';
import { OrgSubnav } from './org-subnav.js';
import { DateField, ErrorAlert, flattenTree, SubmitRow, UnitSelect } from './shared.js';

type OpKind = ReorgOperationInput['op'];
const opKinds: readonly OpKind[] = ['rename', 'move', 'merge', 'split', 'create', 'abolish'];

/**
 * 組織改正: plans (drafts) of renames, moves, merges, splits, new and abolished units, effective on
 * one date (usually 4月1日); a preview shows the resulting tree, who moves, which roles end or are
 * re-homed and any problem; applying changes everything in one transaction.
 */
export function ReorganizationsPage() {
  const { t } = useTranslation();
  const list = useReorganizations();
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('organization.reorganizations.title')}
        description={t('organization.reorganizations.description')}
      />
      <OrgSubnav />
      <Stack gap="lg">
        <Section title={t('organization.reorganizations.listHeading')}>
          {list.isError && <ErrorAlert error={list.error} />}
          {list.data && list.data.items.length === 0 && (
            <Text size="sm">{t('organization.reorganizations.listEmpty')}</Text>
          )}
          {list.data && list.data.items.length > 0 && (
            <PlansTable plans={list.data.items} onOpen={setSelected} />
          )}
        </Section>
        {selected !== null && <PreviewCard reorganizationId={selected} />}
        <NewPlanCard onCreated={setSelected} />
      </Stack>
    </>
  );
}

function PlansTable({
  plans,
  onOpen,
}: {
  plans: readonly Reorganization[];
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const formatIso = useIsoDateFormat();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="reorganizations">
        <Table.Caption>{t('organization.reorganizations.listCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.reorganizations.planTitle')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.effectiveDate')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.status')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.operations')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.actionsHeading')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plans.map((plan) => (
            <Table.Tr key={plan.id}>
              <Table.Th scope="row" fw={400}>
                {plan.title}
              </Table.Th>
              <Table.Td>{formatIso(plan.effectiveDate)}</Table.Td>
              <Table.Td>
                <Badge
                  variant="outline"
                  color={
                    plan.status === 'applied'
                      ? 'teal.9'
                      : plan.status === 'draft'
                        ? 'blue.9'
                        : 'gray.8'
                  }
                >
                  {t(`organization.reorganizations.statuses.${plan.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{plan.operations.length}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    onOpen(plan.id);
                  }}
                >
                  {t('organization.reorganizations.open')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Names of units by id, from the current tree and the plan's resulting tree. */
function useUnitNames(extra: readonly { id: string; name: string }[] = []) {
  const tree = useUnitTree(todayIso());
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const u of tree.data?.units ?? []) names.set(u.id, u.name);
    for (const u of extra) names.set(u.id, u.name);
    return names;
  }, [tree.data, extra]);
}

function PreviewCard({ reorganizationId }: { reorganizationId: string }) {
  const { t } = useTranslation();
  const preview = useReorganizationPreview(reorganizationId);
  const apply = useApplyReorganization();
  const cancel = useCancelReorganization();
  const names = useUnitNames(preview.data?.units);
  if (preview.isError) return <ErrorAlert error={preview.error} />;
  if (!preview.data) return <Text role="status">{t('organization.loading')}</Text>;
  const data = preview.data;
  const isDraft = data.reorganization.status === 'draft';
  return (
    <Section
      title={t('organization.reorganizations.previewHeading', { title: data.reorganization.title })}
    >
      <Stack gap="md">
        <Title order={3} size="h4">
          {t('organization.reorganizations.opsHeading')}
        </Title>
        <OperationsTable operations={data.reorganization.operations} names={names} />
        <Title order={3} size="h4">
          {t('organization.reorganizations.problemsHeading')}
        </Title>
        {data.problems.length === 0 ? (
          <Text size="sm">{t('organization.reorganizations.problemsEmpty')}</Text>
        ) : (
          <ul data-testid="reorg-problems" style={{ margin: 0 }}>
            {data.problems.map((p, index) => (
              <li key={`${p.code}-${String(index)}`}>
                <Text size="sm" c="red.9">
                  {p.opIndex === null
                    ? (reorgProblemExplanation(t, p.code) ?? p.message)
                    : t('organization.reorganizations.problemAt', {
                        index: p.opIndex + 1,
                        message: reorgProblemExplanation(t, p.code) ?? p.message,
                      })}
                </Text>
              </li>
            ))}
          </ul>
        )}
        <Title order={3} size="h4">
          {t('organization.reorganizations.resultTree')}
        </Title>
        <ResultTree units={data.units} />
        <Title order={3} size="h4">
          {t('organization.reorganizations.changesHeading')}
        </Title>
        <ChangesTable changes={data.changes} names={names} />
        {apply.isError && <ErrorAlert error={apply.error} />}
        {cancel.isError && <ErrorAlert error={cancel.error} />}
        {apply.isSuccess && (
          <Alert color="teal" role="status">
            {t('organization.reorganizations.applied')}
          </Alert>
        )}
        {isDraft && !data.canApply && (
          <Alert color="red" role="alert">
            {t('organization.reorganizations.cannotApply')}
          </Alert>
        )}
        {isDraft && (
          <Group>
            <Button
              disabled={!data.canApply}
              loading={apply.isPending}
              onClick={() => {
                apply.mutate(reorganizationId);
              }}
            >
              {t('organization.reorganizations.apply')}
            </Button>
            <Button
              variant="default"
              color="red"
              loading={cancel.isPending}
              onClick={() => {
                cancel.mutate(reorganizationId);
              }}
            >
              {t('organization.reorganizations.cancelPlan')}
            </Button>
          </Group>
        )}
      </Stack>
    </Section>
  );
}

function ResultTree({ units }: { units: ReorganizationPreview['units'] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const flat = flattenTree(
    units.map((u) => ({
      ...u,
      actsAs: 'section' as const,
      code: null,
      nameKana: null,
      sortOrder: 0,
      outOfScopeReason: u.outOfScope ? '' : null,
      validFrom: '',
      validTo: null,
      establishedOn: '',
      abolishedOn: null,
      abilities: {},
    })),
  );
  return (
    <ul
      data-testid="reorg-result-tree"
      style={{ listStyle: 'none', margin: 0, paddingInlineStart: 0 }}
    >
      {flat.map(({ unit, depth }) => (
        <li key={unit.id} style={{ paddingInlineStart: `${String(depth * 1.25)}rem` }}>
          {unit.name}{' '}
          <Badge variant="outline" color="gray.8" size="sm">
            {labels.unitKind(unit.kind)}
          </Badge>
          {unit.outOfScopeReason !== null && (
            <Badge variant="outline" color="grape.9" size="sm" ml={4}>
              {t('organization.tree.outOfScope')}
            </Badge>
          )}
        </li>
      ))}
    </ul>
  );
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The plan's consequences: units created, renamed, moved, abolished; people and roles moved. */
function ChangesTable({
  changes,
  names,
}: {
  changes: ReorganizationPreview['changes'];
  names: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const rows = useMemo(() => {
    const unitName = (id: unknown) =>
      typeof id === 'string' ? (names.get(id) ?? id) : t('organization.reorganizations.root');
    const result: { key: string; kind: string; subject: string; detail: string }[] = [];
    const peopleMoves = new Map<string, number>();
    changes.forEach((c, index) => {
      const kind = text(c.kind);
      if (kind === 'person_moved') {
        const key = `${text(c.fromUnitId)}→${text(c.toUnitId)}`;
        peopleMoves.set(key, (peopleMoves.get(key) ?? 0) + 1);
        return;
      }
      const key = `${kind}-${String(index)}`;
      switch (kind) {
        case 'unit_created':
        case 'unit_abolished':
          result.push({
            key,
            kind,
            subject: unitName(c.unitId),
            detail: c.mergedInto ? unitName(c.mergedInto) : '',
          });
          break;
        case 'unit_renamed':
          result.push({ key, kind, subject: text(c.from), detail: text(c.to) });
          break;
        case 'unit_moved':
          result.push({ key, kind, subject: unitName(c.unitId), detail: unitName(c.toParentId) });
          break;
        case 'system_moved':
          result.push({ key, kind, subject: text(c.systemId), detail: unitName(c.toUnitId) });
          break;
        case 'assignment_ended':
          result.push({ key, kind, subject: labels.role(text(c.role)), detail: text(c.reason) });
          break;
        case 'assignment_rehomed':
          result.push({ key, kind, subject: labels.role(text(c.role)), detail: '' });
          break;
        default:
          result.push({ key, kind, subject: '', detail: JSON.stringify(c) });
      }
    });
    for (const [move, count] of peopleMoves) {
      const [from, to] = move.split('→');
      result.push({
        key: `people-${move}`,
        kind: 'person_moved',
        subject: t('organization.reorganizations.peopleCount', { count }),
        detail: `${unitName(from)} → ${to === '' ? '' : unitName(to)}`,
      });
    }
    return result;
  }, [changes, names, t, labels]);
  if (rows.length === 0)
    return <Text size="sm">{t('organization.reorganizations.changesEmpty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="reorg-changes">
        <Table.Caption>{t('organization.reorganizations.changesCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.reorganizations.changeKind')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.changeSubject')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.changeDetail')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {changeKindLabel(t, row.kind)}
              </Table.Th>
              <Table.Td>{row.subject}</Table.Td>
              <Table.Td>{row.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const changeKinds = [
  'unit_created',
  'unit_renamed',
  'unit_moved',
  'unit_abolished',
  'person_moved',
  'system_moved',
  'assignment_ended',
  'assignment_rehomed',
] as const;

function changeKindLabel(t: TFunction, kind: string): string {
  const known = changeKinds.find((k) => k === kind);
  return known === undefined ? kind : t(`organization.reorganizations.changeKinds.${known}`);
}

function OperationsTable({
  operations,
  names,
  onRemove,
}: {
  operations: readonly ReorgOperationInput[];
  names: ReadonlyMap<string, string>;
  onRemove?: (index: number) => void;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  if (operations.length === 0)
    return <Text size="sm">{t('organization.reorganizations.opsEmpty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="reorg-operations">
        <Table.Caption>{t('organization.reorganizations.opsCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.reorganizations.opIndex')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.opKind')}</Table.Th>
            <Table.Th scope="col">{t('organization.reorganizations.opSummary')}</Table.Th>
            {onRemove && <Table.Th scope="col">{t('organization.unit.actionsHeading')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {operations.map((op, index) => (
            <Table.Tr key={`${op.op}-${String(index)}`}>
              <Table.Th scope="row" fw={400}>
                {index + 1}
              </Table.Th>
              <Table.Td>{t(`organization.reorganizations.opKinds.${op.op}`)}</Table.Td>
              <Table.Td>{operationSummary(t, labels, op, names)}</Table.Td>
              {onRemove && (
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      onRemove(index);
                    }}
                  >
                    {t('organization.reorganizations.removeOp')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function operationSummary(
  t: TFunction,
  labels: PackLabels,
  op: ReorgOperationInput,
  names: ReadonlyMap<string, string>,
): string {
  const name = (id: string | null) =>
    id === null ? t('organization.reorganizations.root') : (names.get(id) ?? id);
  switch (op.op) {
    case 'rename':
      return t('organization.reorganizations.summaries.rename', {
        unit: name(op.unitId),
        name: op.name,
      });
    case 'move':
      return t('organization.reorganizations.summaries.move', {
        unit: name(op.unitId),
        parent: name(op.parentId),
      });
    case 'merge':
      return t('organization.reorganizations.summaries.merge', {
        units: op.unitIds.map(name).join('、'),
        target: name(op.targetUnitId),
      });
    case 'split':
      return t('organization.reorganizations.summaries.split', {
        unit: name(op.unitId),
        parts: op.parts.map((p) => p.unit.name).join('、'),
      });
    case 'create':
      return t('organization.reorganizations.summaries.create', {
        parent: name(op.unit.parentId),
        kind: labels.unitKind(op.unit.kind),
        name: op.unit.name,
      });
    case 'abolish':
      return t('organization.reorganizations.summaries.abolish', { unit: name(op.unitId) });
  }
}

function NewPlanCard({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateReorganization();
  const [title, setTitle] = useState('');
  const [effectiveDate, setEffectiveDate] = useState(nextAprilFirst());
  const [operations, setOperations] = useState<ReorgOperationInput[]>([]);
  const tree = useUnitTree(effectiveDate);
  const units = tree.data?.units ?? [];
  // Units created earlier in the plan can be named by later steps.
  const created = operations.flatMap((op) =>
    op.op === 'create' ? [op.unit] : op.op === 'split' ? op.parts.map((p) => p.unit) : [],
  );
  const names = useUnitNames(created.map((u) => ({ id: u.id, name: u.name })));
  const headingId = useId();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (operations.length === 0) return;
    const input: CreateReorganizationInput = { title, effectiveDate, operations };
    create.mutate(input, {
      onSuccess: (plan) => {
        setOperations([]);
        setTitle('');
        onCreated(plan.id);
      },
    });
  };
  return (
    <Section headingId={headingId} title={t('organization.reorganizations.newHeading')}>
      <Stack gap="md">
        <OperationBuilder
          units={units}
          onAdd={(op) => {
            setOperations((current) => [...current, op]);
          }}
        />
        <OperationsTable
          operations={operations}
          names={names}
          onRemove={(index) => {
            setOperations((current) => current.filter((_, i) => i !== index));
          }}
        />
        <form onSubmit={submit} aria-labelledby={headingId}>
          <Stack gap="sm">
            <Group gap="md" align="flex-end">
              <TextInput
                label={t('organization.reorganizations.planTitle')}
                placeholder={t('organization.reorganizations.titlePlaceholder')}
                value={title}
                required
                onChange={(event) => {
                  setTitle(event.currentTarget.value);
                }}
                w={420}
              />
              <DateField
                label={t('organization.reorganizations.effectiveDate')}
                value={effectiveDate}
                onChange={setEffectiveDate}
              />
            </Group>
            <SubmitRow
              mutation={create}
              disabled={operations.length === 0}
              label={t('organization.reorganizations.save')}
            />
          </Stack>
        </form>
      </Stack>
    </Section>
  );
}

/** The next 4月1日 (the usual date of a 組織改正). */
function nextAprilFirst(): string {
  const today = todayIso();
  const year = Number(today.slice(0, 4));
  const candidate = `${String(year)}-04-01`;
  return candidate > today ? candidate : `${String(year + 1)}-04-01`;
}

/** One step of the plan, built from the unit tree as of the effective date. */
function OperationBuilder({
  units,
  onAdd,
}: {
  units: UnitTree['units'];
  onAdd: (op: ReorgOperationInput) => void;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const [kind, setKind] = useState<OpKind>('rename');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<string | null>(null);
  const [sources, setSources] = useState<string[]>([]);
  const [newKind, setNewKind] = useState<string | null>(null);
  const [partNames, setPartNames] = useState('');
  const splitSource = useUnitPage(unitId ?? '', todayIso(), kind === 'split');
  const unitOptions = flattenTree(units).map(({ unit, depth }) => ({
    value: unit.id,
    label: `${'　'.repeat(depth)}${unit.name}`,
  }));
  const reset = () => {
    setUnitId(null);
    setName('');
    setParentId(null);
    setSources([]);
    setNewKind(null);
    setPartNames('');
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const op = buildOperation();
    if (op === null) return;
    onAdd(op);
    reset();
  };
  const buildOperation = (): ReorgOperationInput | null => {
    switch (kind) {
      case 'rename':
        return unitId === null || name.trim() === '' ? null : { op: 'rename', unitId, name };
      case 'move':
        return unitId === null ? null : { op: 'move', unitId, parentId };
      case 'merge':
        return unitId === null || sources.length === 0
          ? null
          : { op: 'merge', unitIds: sources, targetUnitId: unitId };
      case 'abolish':
        return unitId === null ? null : { op: 'abolish', unitId };
      case 'create':
        return newKind === null || name.trim() === ''
          ? null
          : { op: 'create', unit: { id: crypto.randomUUID(), kind: newKind, name, parentId } };
      case 'split': {
        const source = units.find((u) => u.id === unitId);
        const names = partNames
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '');
        if (unitId === null || source === undefined || names.length < 2) return null;
        const members = [...new Set((splitSource.data?.members ?? []).map((m) => m.personId))];
        return {
          op: 'split',
          unitId,
          parts: names.map((partName, index) => ({
            unit: {
              id: crypto.randomUUID(),
              kind: source.kind,
              name: partName,
              parentId: source.parentId,
            },
            personIds: index === 0 ? members : [],
          })),
        };
      }
    }
  };
  const needsUnit = kind !== 'create';
  return (
    <form onSubmit={submit} aria-label={t('organization.reorganizations.addOp')}>
      <Stack gap="sm">
        <Select
          label={t('organization.reorganizations.opKind')}
          data={opKinds.map((k) => ({
            value: k,
            label: t(`organization.reorganizations.opKinds.${k}`),
          }))}
          value={kind}
          onChange={(value) => {
            if (value !== null) setKind(value);
          }}
          allowDeselect={false}
          w={300}
        />
        {needsUnit && (
          <UnitSelect
            label={
              kind === 'merge'
                ? t('organization.reorganizations.mergeTarget')
                : t('organization.reorganizations.unit')
            }
            units={units}
            value={unitId}
            onChange={setUnitId}
          />
        )}
        {kind === 'rename' && (
          <TextInput
            label={t('organization.reorganizations.newName')}
            value={name}
            required
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
            w={360}
          />
        )}
        {kind === 'move' && (
          <UnitSelect
            label={t('organization.reorganizations.newParent')}
            units={units}
            value={parentId}
            onChange={setParentId}
            allowRoot
          />
        )}
        {kind === 'merge' && (
          <MultiSelect
            label={t('organization.reorganizations.mergeSources')}
            data={unitOptions.filter((o) => o.value !== unitId)}
            value={sources}
            onChange={setSources}
            searchable
            required
            w={420}
          />
        )}
        {kind === 'create' && (
          <>
            <Select
              label={t('organization.reorganizations.createKind')}
              data={labels.unitKindIds.map((k) => ({ value: k, label: labels.unitKind(k) }))}
              value={newKind}
              onChange={setNewKind}
              required
              allowDeselect={false}
              w={300}
            />
            <TextInput
              label={t('organization.reorganizations.createName')}
              value={name}
              required
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
              w={360}
            />
            <UnitSelect
              label={t('organization.reorganizations.createParent')}
              units={units}
              value={parentId}
              onChange={setParentId}
              allowRoot
            />
          </>
        )}
        {kind === 'split' && (
          <Textarea
            label={t('organization.reorganizations.splitParts')}
            value={partNames}
            required
            autosize
            minRows={3}
            onChange={(event) => {
              setPartNames(event.currentTarget.value);
            }}
            w={420}
          />
        )}
        <Group>
          <Button type="submit" variant="default">
            {t('organization.reorganizations.addOp')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

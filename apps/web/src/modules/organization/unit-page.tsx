import type { UnitPage as UnitPageData, UnitTree } from '@mamori/contracts';
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import {
  useAbolishUnit,
  useAddMembership,
  useChangeUnit,
  useCreateUnit,
  useSetUnitScope,
  useUnitPage,
  useUnitTree,
} from './api.js';
import { AssignRoleForm } from './assign-role-form.js';
import { todayIso, useIsoDateFormat, usePackLabels, usePeriodFormat } from './labels.js';
import { organizationRoutes, OrgSubnav } from './org-subnav.js';
import { RoleAssignmentsTable } from './role-assignments-table.js';
import {
  DateField,
  PageQueryStatus,
  PersonPicker,
  SubmitRow,
  UnitSelect,
  useAsOfParam,
} from './shared.js';

type Action = 'addMember' | 'assignRole' | 'change' | 'scope' | 'abolish' | 'createChild';

/**
 * A unit as of a date: its place in the tree, name history, members (本務 and 兼務) and the role
 * holders with their scope. Actions come from the server's abilities, never from role names.
 */
export function UnitPage() {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const { unitId = '' } = useParams();
  const [asOf, setAsOf] = useAsOfParam();
  const page = useUnitPage(unitId, asOf);
  const tree = useUnitTree(asOf);
  const [action, setAction] = useState<Action | null>(null);
  const close = () => {
    setAction(null);
  };

  if (page.isError || !page.data) {
    return <PageQueryStatus query={page} errorTitle={t('organization.unit.notFound')} />;
  }
  const data = page.data;
  const { unit } = data;
  const units = tree.data?.units ?? [];
  const abilities = unit.abilities;
  const actionButton = (id: Action, label: string, allowed: boolean | undefined) =>
    allowed === true ? (
      <Button
        variant="default"
        onClick={() => {
          setAction(id);
        }}
      >
        {label}
      </Button>
    ) : null;
  const modalTitle: Record<Action, string> = {
    addMember: t('organization.unit.addMember'),
    assignRole: t('organization.unit.assignRole'),
    change: t('organization.unit.change'),
    scope:
      unit.outOfScopeReason === null
        ? t('organization.unit.markOutOfScope')
        : t('organization.unit.markInScope'),
    abolish: t('organization.unit.abolish'),
    createChild: t('organization.unit.createChild'),
  };

  return (
    <>
      <PageHeader title={unit.name} />
      <OrgSubnav />
      <Stack gap="lg">
        <UnitSummary data={data} asOf={asOf} onAsOfChange={setAsOf} />
        {Object.values(abilities).some(Boolean) && (
          <Section title={t('organization.unit.actionsHeading')}>
            <Group gap="sm">
              {actionButton('addMember', t('organization.unit.addMember'), abilities.update)}
              {actionButton('assignRole', t('organization.unit.assignRole'), abilities.assignRole)}
              {actionButton('change', t('organization.unit.change'), abilities.update)}
              {actionButton('scope', modalTitle.scope, abilities.changeScope)}
              {actionButton(
                'createChild',
                t('organization.unit.createChild'),
                abilities.createChild,
              )}
              {actionButton('abolish', t('organization.unit.abolish'), abilities.abolish)}
            </Group>
          </Section>
        )}
        <Section title={t('organization.unit.holdersHeading')}>
          {data.roleHolders.length === 0 ? (
            <Text size="sm">{t('organization.unit.holdersEmpty')}</Text>
          ) : (
            <RoleAssignmentsTable
              assignments={data.roleHolders}
              caption={t('organization.unit.holdersCaption')}
              testId="unit-role-holders"
            />
          )}
        </Section>
        <Section title={t('organization.unit.membersHeading')}>
          <MembersTable members={data.members} />
        </Section>
        <Section title={t('organization.unit.children')}>
          {data.children.length === 0 ? (
            <Text size="sm">{t('organization.unit.noChildren')}</Text>
          ) : (
            <ul style={{ margin: 0 }}>
              {data.children.map((child) => (
                <li key={child.id}>
                  <Anchor component={Link} to={organizationRoutes.unit(child.id)}>
                    {child.name}
                  </Anchor>{' '}
                  <Badge variant="outline" color="gray.8" size="sm">
                    {labels.unitKind(child.kind)}
                  </Badge>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title={t('organization.unit.historyHeading')}>
          <HistoryTable history={data.history} />
        </Section>
      </Stack>
      <Modal
        opened={action !== null}
        onClose={close}
        title={action === null ? '' : modalTitle[action]}
        closeButtonProps={{ 'aria-label': t('organization.close') }}
        size="lg"
      >
        {action === 'addMember' && <AddMemberForm unitId={unit.id} onDone={close} />}
        {action === 'assignRole' && (
          <AssignRoleForm
            units={units}
            initial={{ scopeKind: 'unit', scopeUnitId: unit.id }}
            currentHolders={data.roleHolders.filter((a) => a.validTo === null)}
            onDone={close}
          />
        )}
        {action === 'change' && <ChangeUnitForm data={data} units={units} onDone={close} />}
        {action === 'scope' && <ScopeForm data={data} onDone={close} />}
        {action === 'abolish' && <AbolishForm unitId={unit.id} onDone={close} />}
        {action === 'createChild' && (
          <CreateUnitForm parentId={unit.id} units={units} onDone={close} />
        )}
      </Modal>
    </>
  );
}

function UnitSummary({
  data,
  asOf,
  onAsOfChange,
}: {
  data: UnitPageData;
  asOf: string;
  onAsOfChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatIso = useIsoDateFormat();
  const formatPeriod = usePeriodFormat();
  const { unit } = data;
  return (
    <Card withBorder padding="lg" component="section" aria-label={unit.name}>
      <Stack gap="sm">
        {data.path.length > 0 && (
          <nav aria-label={t('organization.unit.breadcrumbs')}>
            <Breadcrumbs>
              {data.path.map((p) => (
                <Anchor key={p.id} component={Link} to={organizationRoutes.unit(p.id)}>
                  {p.name}
                </Anchor>
              ))}
            </Breadcrumbs>
          </nav>
        )}
        <Group gap="sm">
          <Badge variant="outline" color="gray.8" data-testid="unit-kind">
            {labels.unitKind(unit.kind)}
          </Badge>
          {unit.outOfScopeReason !== null && (
            <Badge variant="outline" color="grape.9">
              {t('organization.tree.outOfScopeTitle', { reason: unit.outOfScopeReason })}
            </Badge>
          )}
          {unit.abolishedOn !== null && (
            <Badge variant="outline" color="red.9">
              {t('organization.unit.abolished', { date: formatIso(unit.abolishedOn) })}
            </Badge>
          )}
        </Group>
        <dl
          className="org-facts"
          style={{
            display: 'grid',
            gridTemplateColumns: 'max-content 1fr',
            gap: '4px 16px',
            margin: 0,
          }}
        >
          {unit.nameKana !== null && (
            <>
              <dt>{t('organization.unit.kana')}</dt>
              <dd style={{ margin: 0 }}>{unit.nameKana}</dd>
            </>
          )}
          {unit.code !== null && (
            <>
              <dt>{t('organization.unit.code')}</dt>
              <dd style={{ margin: 0 }}>{unit.code}</dd>
            </>
          )}
          <dt>{t('organization.unit.validity')}</dt>
          <dd style={{ margin: 0 }}>{formatPeriod(unit.establishedOn, unit.abolishedOn)}</dd>
        </dl>
        <DateField label={t('organization.unit.asOf')} value={asOf} onChange={onAsOfChange} />
      </Stack>
    </Card>
  );
}

function MembersTable({ members }: { members: UnitPageData['members'] }) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const formatPeriod = usePeriodFormat();
  if (members.length === 0) return <Text size="sm">{t('organization.unit.membersEmpty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped data-testid="unit-members">
        <Table.Caption>{t('organization.unit.membersCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.people.name')}</Table.Th>
            <Table.Th scope="col">{t('organization.people.kana')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.position')}</Table.Th>
            <Table.Th scope="col">{t('organization.people.employment')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.form.kind')}</Table.Th>
            <Table.Th scope="col">{t('organization.assignment.period')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((m) => (
            <Table.Tr key={m.membershipId}>
              <Table.Th scope="row" fw={400}>
                <Anchor component={Link} to={organizationRoutes.person(m.personId)}>
                  {m.displayName}
                </Anchor>
              </Table.Th>
              <Table.Td>{m.displayNameKana}</Table.Td>
              <Table.Td>{m.positionTitle ?? ''}</Table.Td>
              <Table.Td>{labels.employment(m.employment)}</Table.Td>
              <Table.Td>{t(`organization.membershipKind.${m.kind}`)}</Table.Td>
              <Table.Td>{formatPeriod(m.validFrom, m.validTo)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function HistoryTable({ history }: { history: UnitPageData['history'] }) {
  const { t } = useTranslation();
  const formatPeriod = usePeriodFormat();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped data-testid="unit-history">
        <Table.Caption>{t('organization.unit.historyCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('organization.unit.historyPeriod')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.historyName')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.historyParent')}</Table.Th>
            <Table.Th scope="col">{t('organization.unit.historyScope')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Th scope="row" fw={400}>
                {formatPeriod(v.validFrom, v.validTo)}
              </Table.Th>
              <Table.Td>{v.name}</Table.Td>
              <Table.Td>{v.parentName ?? t('organization.unit.form.noParent')}</Table.Td>
              <Table.Td>
                {v.outOfScopeReason === null
                  ? ''
                  : t('organization.tree.outOfScopeTitle', { reason: v.outOfScopeReason })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AddMemberForm({ unitId, onDone }: { unitId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const add = useAddMembership();
  const [personId, setPersonId] = useState<string | null>(null);
  const [kind, setKind] = useState<'primary' | 'additional'>('primary');
  const [positionTitle, setPositionTitle] = useState('');
  const [validFrom, setValidFrom] = useState(todayIso());
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (personId === null) return;
    add.mutate(
      {
        personId,
        unitId,
        kind,
        positionTitle: positionTitle.trim() === '' ? undefined : positionTitle,
        validFrom,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <PersonPicker
          label={t('organization.unit.form.person')}
          value={personId}
          onChange={setPersonId}
        />
        <Radio.Group
          label={t('organization.unit.form.kind')}
          value={kind}
          onChange={(value) => {
            setKind(value === 'additional' ? 'additional' : 'primary');
          }}
        >
          <Group gap="md" mt={4}>
            <Radio value="primary" label={t('organization.membershipKind.primary')} />
            <Radio value="additional" label={t('organization.membershipKind.additional')} />
          </Group>
        </Radio.Group>
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

function ChangeUnitForm({
  data,
  units,
  onDone,
}: {
  data: UnitPageData;
  units: UnitTree['units'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const change = useChangeUnit(data.unit.id);
  const [name, setName] = useState(data.unit.name);
  const [nameKana, setNameKana] = useState(data.unit.nameKana ?? '');
  const [parentId, setParentId] = useState<string | null>(data.unit.parentId);
  const [effectiveDate, setEffectiveDate] = useState(todayIso());
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    change.mutate(
      {
        name: name === data.unit.name ? undefined : name,
        nameKana:
          nameKana === (data.unit.nameKana ?? '') ? undefined : nameKana === '' ? null : nameKana,
        parentId: parentId === data.unit.parentId ? undefined : parentId,
        effectiveDate,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput
          label={t('organization.unit.form.name')}
          value={name}
          required
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
          w={360}
        />
        <TextInput
          label={t('organization.unit.form.nameKana')}
          value={nameKana}
          onChange={(event) => {
            setNameKana(event.currentTarget.value);
          }}
          w={360}
        />
        <UnitSelect
          label={t('organization.unit.form.parent')}
          units={units.filter((u) => u.id !== data.unit.id)}
          value={parentId}
          onChange={setParentId}
          allowRoot
        />
        <DateField
          label={t('organization.unit.form.effectiveDate')}
          value={effectiveDate}
          onChange={setEffectiveDate}
        />
        <SubmitRow mutation={change} />
      </Stack>
    </form>
  );
}

/** pol-4.1: mark a unit out of the policy's scope (学校, 病院) or back in scope. */
function ScopeForm({ data, onDone }: { data: UnitPageData; onDone: () => void }) {
  const { t } = useTranslation();
  const setScope = useSetUnitScope(data.unit.id);
  const isOut = data.unit.outOfScopeReason !== null;
  const [reason, setReason] = useState('');
  const [effectiveDate, setEffectiveDate] = useState(todayIso());
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setScope.mutate(
      { outOfScopeReason: isOut ? null : reason, effectiveDate },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        {!isOut && (
          <Textarea
            label={t('organization.unit.form.outOfScopeReason')}
            value={reason}
            required
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
        )}
        <DateField
          label={t('organization.unit.form.effectiveDate')}
          value={effectiveDate}
          onChange={setEffectiveDate}
        />
        <SubmitRow mutation={setScope} />
      </Stack>
    </form>
  );
}

function AbolishForm({ unitId, onDone }: { unitId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const abolish = useAbolishUnit(unitId);
  const [reason, setReason] = useState('');
  const [effectiveDate, setEffectiveDate] = useState(todayIso());
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    abolish.mutate({ reason, effectiveDate }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <DateField
          label={t('organization.unit.form.effectiveDate')}
          value={effectiveDate}
          onChange={setEffectiveDate}
        />
        <Textarea
          label={t('organization.unit.form.reason')}
          value={reason}
          required
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <SubmitRow mutation={abolish} />
      </Stack>
    </form>
  );
}

/** Creates a unit; its kind is one the pack allows (the server checks the parent kind). */
export function CreateUnitForm({
  parentId,
  units,
  onDone,
}: {
  parentId: string | null;
  units: UnitTree['units'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const labels = usePackLabels();
  const create = useCreateUnit();
  const [kind, setKind] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameKana, setNameKana] = useState('');
  const [code, setCode] = useState('');
  const [parent, setParent] = useState<string | null>(parentId);
  const [validFrom, setValidFrom] = useState(todayIso());
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (kind === null) return;
    create.mutate(
      {
        kind,
        name,
        nameKana: nameKana === '' ? undefined : nameKana,
        code: code === '' ? undefined : code,
        parentId: parent,
        validFrom,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label={t('organization.unit.form.unitKind')}
          data={labels.unitKindIds.map((k) => ({ value: k, label: labels.unitKind(k) }))}
          value={kind}
          onChange={setKind}
          required
          allowDeselect={false}
          w={320}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('organization.unit.form.name')}
          value={name}
          required
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
          w={360}
        />
        <TextInput
          label={t('organization.unit.form.nameKana')}
          value={nameKana}
          onChange={(event) => {
            setNameKana(event.currentTarget.value);
          }}
          w={360}
        />
        <TextInput
          label={t('organization.unit.form.code')}
          value={code}
          onChange={(event) => {
            setCode(event.currentTarget.value);
          }}
          w={200}
        />
        <UnitSelect
          label={t('organization.unit.form.parent')}
          units={units}
          value={parent}
          onChange={setParent}
          allowRoot
        />
        <DateField
          label={t('organization.unit.form.validFrom')}
          value={validFrom}
          onChange={setValidFrom}
        />
        <SubmitRow mutation={create} />
      </Stack>
    </form>
  );
}

import type { TaskView } from '@mamori/contracts';
import {
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
  Textarea,
} from '@mantine/core';
import { formatDate, toTokyoDate } from '@mamori/policy';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { localizeApiError } from '../../api/client.js';
import { useDateTimeFormat } from '../../app/use-date-time-format.js';
import { languageOf } from '../../i18n/index.js';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';
import { useCloseTask, useTasks, type TaskListFilter } from './api.js';

type Closing = { task: TaskView; verb: 'complete' | 'cancel' };

/**
 * Own open follow-up tasks with due date and clause (the platform task entity): returns of assets
 * and IC cards on leaving (std-6.1.1.8) and whatever later modules add. Completed with a note.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const [view, setView] = useState<TaskListFilter['view']>('mine');
  const [status, setStatus] = useState<TaskListFilter['status']>('open');
  const tasks = useTasks({ view, status });
  const [closing, setClosing] = useState<Closing | null>(null);
  return (
    <>
      <PageHeader title={t('tasks.title')} description={t('tasks.description')} />
      <Card withBorder padding="lg" component="section" aria-label={t('tasks.caption')}>
        <Stack gap="sm">
          <Group gap="md" align="flex-end">
            <Select
              label={t('tasks.view')}
              data={(['mine', 'unit'] as const).map((v) => ({
                value: v,
                label: t(`tasks.views.${v}`),
              }))}
              value={view}
              onChange={(value) => {
                setView(value === 'unit' ? 'unit' : 'mine');
              }}
              allowDeselect={false}
              w={260}
            />
            <Select
              label={t('tasks.statusFilter')}
              data={(['open', 'done', 'cancelled'] as const).map((s) => ({
                value: s,
                label: t(`tasks.statuses.${s}`),
              }))}
              value={status ?? 'open'}
              onChange={(value) => {
                setStatus(value === 'done' || value === 'cancelled' ? value : 'open');
              }}
              allowDeselect={false}
              w={200}
            />
          </Group>
          {tasks.isError && (
            <Text c="red.9" role="alert">
              {localizeApiError(tasks.error, t)}
            </Text>
          )}
          {tasks.data && tasks.data.items.length === 0 && <Text>{t('tasks.empty')}</Text>}
          {tasks.data && tasks.data.items.length > 0 && (
            <TasksTable tasks={tasks.data.items} onClose={setClosing} />
          )}
        </Stack>
      </Card>
      <Modal
        opened={closing !== null}
        onClose={() => {
          setClosing(null);
        }}
        title={closing?.verb === 'cancel' ? t('tasks.cancelTitle') : t('tasks.completeTitle')}
        closeButtonProps={{ 'aria-label': t('tasks.close') }}
      >
        {closing && (
          <CloseTaskForm
            closing={closing}
            onDone={() => {
              setClosing(null);
            }}
          />
        )}
      </Modal>
    </>
  );
}

function TasksTable({
  tasks,
  onClose,
}: {
  tasks: readonly TaskView[];
  onClose: (closing: Closing) => void;
}) {
  const { t, i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  const formatDateTime = useDateTimeFormat();
  const today = toTokyoDate(new Date());
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped data-testid="tasks-table">
        <Table.Caption>{t('tasks.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('tasks.taskTitle')}</Table.Th>
            <Table.Th scope="col">{t('tasks.owner')}</Table.Th>
            <Table.Th scope="col">{t('tasks.dueDate')}</Table.Th>
            <Table.Th scope="col">{t('tasks.clause')}</Table.Th>
            <Table.Th scope="col">{t('tasks.status')}</Table.Th>
            <Table.Th scope="col">{t('tasks.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => {
            const isOverdue =
              task.status === 'open' && task.dueDate !== null && task.dueDate < today;
            return (
              <Table.Tr key={task.id} data-task-id={task.id}>
                <Table.Th scope="row" fw={400}>
                  <Text size="sm" fw={700}>
                    {task.title}
                  </Text>
                  {task.description !== null && (
                    <Text size="xs" c="dimmed">
                      {task.description}
                    </Text>
                  )}
                  {task.resolutionNote !== null && <Text size="xs">{task.resolutionNote}</Text>}
                </Table.Th>
                <Table.Td>
                  {task.owner.kind === 'person' ? (
                    <Anchor
                      component={Link}
                      to={`/organization/people/${encodeURIComponent(task.owner.personId)}`}
                    >
                      {task.owner.name}
                    </Anchor>
                  ) : (
                    <Anchor
                      component={Link}
                      to={`/organization/units/${encodeURIComponent(task.owner.unitId)}`}
                    >
                      {task.owner.name}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  {task.dueDate === null
                    ? t('tasks.noDueDate')
                    : formatDate(task.dueDate, { calendar, locale: language })}
                  {isOverdue && (
                    <Badge color="red.9" ml={6} size="sm">
                      {t('tasks.overdue')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{task.clause}</Table.Td>
                <Table.Td>
                  {t(`tasks.statuses.${task.status}`)}
                  {task.completedAt !== null && (
                    <Text size="xs" c="dimmed">
                      {t('tasks.completedAt', { time: formatDateTime(task.completedAt) })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {task.abilities.complete && (
                      <Button
                        size="xs"
                        onClick={() => {
                          onClose({ task, verb: 'complete' });
                        }}
                      >
                        {t('tasks.complete')}
                      </Button>
                    )}
                    {task.abilities.cancel && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          onClose({ task, verb: 'cancel' });
                        }}
                      >
                        {t('tasks.cancel')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CloseTaskForm({ closing, onDone }: { closing: Closing; onDone: () => void }) {
  const { t } = useTranslation();
  const close = useCloseTask();
  const [note, setNote] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    close.mutate({ taskId: closing.task.id, verb: closing.verb, note }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm" fw={700}>
          {closing.task.title}
        </Text>
        <Textarea
          label={t('tasks.note')}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
          }}
        />
        {close.isError && (
          <Text c="red.9" role="alert">
            {localizeApiError(close.error, t)}
          </Text>
        )}
        <Group>
          <Button
            type="submit"
            loading={close.isPending}
            color={closing.verb === 'cancel' ? 'red' : undefined}
          >
            {closing.verb === 'cancel' ? t('tasks.submitCancel') : t('tasks.submitComplete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A card for the home page: how many of my tasks are open, with a link to them. */
export function MyTasksCard() {
  const { t } = useTranslation();
  const tasks = useTasks({ view: 'mine', status: 'open' });
  return (
    <Section title={t('tasks.cardHeading')}>
      {tasks.data && (
        <Text size="sm" mb="xs">
          {tasks.data.items.length === 0
            ? t('tasks.cardNone')
            : t('tasks.cardOpen', { count: tasks.data.items.length })}
        </Text>
      )}
      <Anchor component={Link} to="/tasks">
        {t('tasks.cardLink')}
      </Anchor>
    </Section>
  );
}

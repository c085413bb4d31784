import type { OrgImportKind, OrgImportPreview } from '@mamori/contracts';
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Progress,
  Radio,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDownload } from '../../api/download.js';
import { languageOf } from '../../i18n/index.js';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import { exportUrl, useApplyImport, useImportStatus, useUploadImport } from './api.js';
import { todayIso } from './labels.js';
import { OrgSubnav } from './org-subnav.js';
import { DateField, ErrorAlert, SubmitRow } from './shared.js';

type Issue = OrgImportPreview['fileErrors'][number];

/**
 * The HR import wizard: choose people or units, upload CSV (UTF-8, UTF-8 BOM, Shift_JIS) or
 * xlsx, see every row's action and changes and every error by row and column, apply only when
 * the whole file is valid (all-or-nothing), watch the progress, read the result. Export in the
 * same formats.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<OrgImportKind>('people');
  const [file, setFile] = useState<File | null>(null);
  const upload = useUploadImport();
  const apply = useApplyImport();
  const [applyingId, setApplyingId] = useState<string | null>(null);
  const step1HeadingId = useId();
  const status = useImportStatus(applyingId);
  const preview = upload.data;
  const percent =
    status.data === undefined || status.data.total === 0
      ? 100
      : Math.round((status.data.processed / status.data.total) * 100);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (file === null) return;
    apply.reset();
    setApplyingId(null);
    upload.mutate({ kind, file });
  };
  const startOver = () => {
    upload.reset();
    apply.reset();
    setApplyingId(null);
    setFile(null);
  };

  return (
    <>
      <PageHeader
        title={t('organization.importWizard.title')}
        description={t('organization.importWizard.description')}
      />
      <OrgSubnav />
      <Stack gap="lg">
        <Section headingId={step1HeadingId} title={t('organization.importWizard.step1')}>
          <form onSubmit={submit} aria-labelledby={step1HeadingId}>
            <Stack gap="sm">
              <Radio.Group
                label={t('organization.importWizard.kind')}
                value={kind}
                onChange={(value) => {
                  setKind(value === 'units' ? 'units' : 'people');
                }}
              >
                <Group gap="md" mt={4}>
                  <Radio value="people" label={t('organization.importWizard.kinds.people')} />
                  <Radio value="units" label={t('organization.importWizard.kinds.units')} />
                </Group>
              </Radio.Group>
              <FileInput
                label={t('organization.importWizard.file')}
                accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={setFile}
                clearable
                clearButtonProps={{ 'aria-label': t('organization.importWizard.clearFile') }}
                required
                w={420}
              />
              <SubmitRow
                mutation={upload}
                disabled={file === null}
                label={t('organization.importWizard.upload')}
              />
            </Stack>
          </form>
        </Section>
        {preview && (
          <PreviewCard
            preview={preview}
            canApply={applyingId === null && !apply.isPending}
            applying={apply.isPending}
            onApply={() => {
              apply.mutate(
                { importId: preview.id, planDigest: preview.planDigest },
                {
                  onSuccess: (result) => {
                    setApplyingId(result.id);
                  },
                },
              );
            }}
          />
        )}
        {(apply.isError || applyingId !== null) && (
          <Section title={t('organization.importWizard.step3')}>
            <Stack gap="sm">
              {apply.isError && <ErrorAlert error={apply.error} />}
              {status.isError && <ErrorAlert error={status.error} />}
              {status.data && (
                <>
                  {/* The progressbar role is on the section, not the root: Mantine's
                      <Progress> puts other aria-* props on the root (no role), which axe
                      flags, and forces "NN%" as the section's aria-valuetext. */}
                  <Progress.Root size="lg">
                    <Progress.Section
                      value={percent}
                      withAria={false}
                      role="progressbar"
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={percent}
                      aria-label={t('organization.importWizard.progressLabel')}
                      aria-valuetext={t('organization.importWizard.progress', {
                        processed: status.data.processed,
                        total: status.data.total,
                      })}
                      animated={status.data.state === 'applying'}
                    />
                  </Progress.Root>
                  <Text size="sm">
                    {status.data.state === 'applying' &&
                      `${t('organization.importWizard.applying')} `}
                    {t('organization.importWizard.progress', {
                      processed: status.data.processed,
                      total: status.data.total,
                    })}
                  </Text>
                  {status.data.state === 'applied' && status.data.result && (
                    <Alert color="teal" role="status" data-testid="import-result">
                      {t('organization.importWizard.applied', { ...status.data.result })}
                    </Alert>
                  )}
                  {status.data.state === 'failed' && (
                    <Alert color="red" role="alert">
                      {t('organization.importWizard.failed', {
                        message: status.data.error?.message ?? '',
                      })}
                    </Alert>
                  )}
                </>
              )}
              {status.data?.state !== 'applying' && (
                <Group>
                  <Button variant="default" onClick={startOver}>
                    {t('organization.importWizard.startOver')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Section>
        )}
        <ExportCard />
      </Stack>
    </>
  );
}

function PreviewCard({
  preview,
  canApply,
  applying,
  onApply,
}: {
  preview: OrgImportPreview;
  canApply: boolean;
  applying: boolean;
  onApply: () => void;
}) {
  const { t } = useTranslation();
  const { summary } = preview;
  const rowIssues = preview.rows.flatMap((row) => row.errors);
  const issues = [...preview.fileErrors, ...rowIssues];
  return (
    <Section title={t('organization.importWizard.step2')}>
      <Stack gap="sm">
        <Text size="sm">
          {t('organization.importWizard.fileSummary', {
            fileName: preview.fileName ?? '',
            format: preview.format.toUpperCase(),
            encoding: preview.encoding ?? '',
          })}
        </Text>
        <Text size="sm" data-testid="import-summary">
          {t('organization.importWizard.summary', { ...summary })}
        </Text>
        {summary.valid ? (
          <Alert color="teal" role="status">
            {t('organization.importWizard.valid')}
          </Alert>
        ) : (
          <Alert color="red" role="alert" data-testid="import-invalid">
            {t('organization.importWizard.invalid', { count: summary.errorCount })}
          </Alert>
        )}
        {issues.length > 0 && (
          <IssuesTable
            issues={issues}
            caption={t('organization.importWizard.errorsCaption')}
            heading={t('organization.importWizard.errorsHeading')}
            testId="import-errors"
          />
        )}
        {preview.warnings.length > 0 && (
          <IssuesTable
            issues={preview.warnings}
            caption={t('organization.importWizard.warningsHeading')}
            heading={t('organization.importWizard.warningsHeading')}
            testId="import-warnings"
          />
        )}
        <RowsTable preview={preview} />
        {summary.valid && (
          <Group>
            <Button
              onClick={onApply}
              disabled={!canApply}
              loading={applying}
              data-testid="import-apply"
            >
              {t('organization.importWizard.apply')}
            </Button>
          </Group>
        )}
      </Stack>
    </Section>
  );
}

function IssuesTable({
  issues,
  caption,
  heading,
  testId,
}: {
  issues: readonly Issue[];
  caption: string;
  heading: string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const language = languageOf(i18n);
  return (
    <Stack gap={4}>
      <Title order={3} size="h4">
        {heading}
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table striped data-testid={testId}>
          <Table.Caption>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('organization.importWizard.row')}</Table.Th>
              <Table.Th scope="col">{t('organization.importWizard.column')}</Table.Th>
              <Table.Th scope="col">{t('organization.importWizard.message')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {issues.map((issue, index) => (
              <Table.Tr
                key={`${String(issue.row)}-${issue.column ?? ''}-${issue.code}-${String(index)}`}
                data-row={issue.row}
                data-column={issue.column ?? ''}
              >
                <Table.Th scope="row" fw={400}>
                  {issue.row}
                </Table.Th>
                <Table.Td>{issue.column ?? issue.columnLetter ?? ''}</Table.Td>
                <Table.Td>{language === 'ja' ? issue.message_ja : issue.message_en}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

const actionColors = {
  create: 'teal.9',
  update: 'blue.9',
  transfer: 'grape.9',
  leave: 'dark',
  unchanged: 'gray.8',
  error: 'red.9',
} as const;

function RowsTable({ preview }: { preview: OrgImportPreview }) {
  const { t } = useTranslation();
  const show = (value: unknown): string =>
    value === null || value === undefined || value === ''
      ? t('organization.importWizard.empty')
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  return (
    <Stack gap={4}>
      <Title order={3} size="h4">
        {t('organization.importWizard.rowsHeading')}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table striped data-testid="import-rows">
          <Table.Caption>{t('organization.importWizard.rowsCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('organization.importWizard.row')}</Table.Th>
              <Table.Th scope="col">{t('organization.importWizard.action')}</Table.Th>
              <Table.Th scope="col">{t('organization.importWizard.subject')}</Table.Th>
              <Table.Th scope="col">{t('organization.importWizard.changes')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((row) => (
              <Table.Tr key={row.rowNumber} data-row={row.rowNumber} data-action={row.action}>
                <Table.Th scope="row" fw={400}>
                  {row.rowNumber}
                </Table.Th>
                <Table.Td>
                  <Badge color={actionColors[row.action]} variant="outline">
                    {t(`organization.importWizard.actions.${row.action}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{row.subject ?? ''}</Table.Td>
                <Table.Td>
                  {row.changes.map((c) => (
                    <Text size="xs" key={c.field}>
                      {t('organization.importWizard.change', {
                        field: c.field,
                        before: show(c.before),
                        after: show(c.after),
                      })}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/**
 * Downloads of people or units in the import's own format: CSV UTF-8 BOM, CSV Shift_JIS, xlsx.
 * Fetched, not linked: a refused export (a character Shift_JIS cannot hold) shows its error here
 * instead of being saved as the file.
 */
function ExportCard() {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState(todayIso());
  const download = useDownload();
  const formats = [
    { format: 'csv', encoding: 'utf8-bom', label: t('organization.importWizard.exportCsvUtf8') },
    { format: 'csv', encoding: 'cp932', label: t('organization.importWizard.exportCsvSjis') },
    { format: 'xlsx', encoding: 'utf8-bom', label: t('organization.importWizard.exportXlsx') },
  ] as const;
  return (
    <Section
      title={t('organization.importWizard.exportHeading')}
      description={t('organization.importWizard.exportDescription')}
    >
      <Stack gap="sm">
        <DateField
          label={t('organization.importWizard.exportAsOf')}
          value={asOf}
          onChange={setAsOf}
        />
        {(['people', 'units'] as const).map((kind) => (
          <Group
            key={kind}
            gap="md"
            role="group"
            aria-label={t('organization.importWizard.exportOf', {
              kind: t(`organization.importWizard.kinds.${kind}`),
            })}
          >
            <Text size="sm" fw={700} w={140}>
              {t(`organization.importWizard.kinds.${kind}`)}
            </Text>
            {formats.map(({ format, encoding, label }) => {
              const url = exportUrl(kind, format, encoding, asOf);
              return (
                <Button
                  key={`${format}-${encoding}`}
                  variant="default"
                  size="xs"
                  loading={download.pendingUrl === url}
                  onClick={() => {
                    void download.start(url, `${kind}-${asOf}.${format}`);
                  }}
                >
                  {label}
                </Button>
              );
            })}
          </Group>
        ))}
        {download.error !== null && <ErrorAlert error={download.error} />}
      </Stack>
    </Section>
  );
}

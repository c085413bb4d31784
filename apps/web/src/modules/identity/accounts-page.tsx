import type { AccountSummary, TemporaryPasswordResponse } from '@mamori/contracts';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../../app/use-date-time-format.js';
import { PageHeader } from '../../layout/page-header.js';
import {
  createAccount,
  disableAccount,
  enableAccount,
  identityKeys,
  issueTemporaryPassword,
  resetAccountMfa,
  unlockAccount,
  useAccounts,
  useSession,
} from './api.js';
import { accountActionsOf, type AccountActionKind } from './account-actions.js';
import { ErrorMessage } from './error-message.js';
import { sessionHasPermission } from './session-routes.js';

/** A temporary password, shown once with a copy button and a warning (std-7.2.4.2). */
function TemporaryPasswordModal({
  result,
  onClose,
}: {
  result: TemporaryPasswordResponse | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <Modal
      opened={result !== null}
      onClose={onClose}
      title={t('identity.accounts.temporaryPassword.title')}
      closeButtonProps={{ 'aria-label': t('identity.close') }}
      centered
    >
      {result && (
        <Stack gap="md">
          <Text size="sm">
            {t('identity.accounts.temporaryPassword.for', {
              name: result.account.displayName,
              loginName: result.account.loginName,
            })}
          </Text>
          <Code block fz="lg" data-testid="temporary-password">
            {result.temporaryPassword}
          </Code>
          <Alert color="orange" variant="light" role="note">
            {t('identity.accounts.temporaryPassword.warning', {
              time: formatDateTime(result.expiresAt),
            })}
          </Alert>
          <Group>
            <CopyButton value={result.temporaryPassword}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? t('identity.copied') : t('identity.accounts.temporaryPassword.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>{t('identity.close')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function CreateAccountModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (result: TemporaryPasswordResponse) => void;
}) {
  const { t } = useTranslation();
  const [loginName, setLoginName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const create = useMutation({
    mutationFn: createAccount,
    onSuccess: (result) => {
      setLoginName('');
      setDisplayName('');
      setEmail('');
      onCreated(result);
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const trimmedEmail = email.trim();
    create.mutate({
      loginName: loginName.trim(),
      displayName: displayName.trim(),
      ...(trimmedEmail === '' ? {} : { email: trimmedEmail }),
    });
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('identity.accounts.create.title')}
      closeButtonProps={{ 'aria-label': t('identity.close') }}
      centered
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ErrorMessage error={create.error} />
          <TextInput
            label={t('identity.accounts.loginName')}
            description={t('identity.accounts.create.loginNameHint')}
            autoComplete="off"
            required
            value={loginName}
            onChange={(event) => {
              setLoginName(event.currentTarget.value);
            }}
          />
          <TextInput
            label={t('identity.accounts.displayName')}
            autoComplete="off"
            required
            value={displayName}
            onChange={(event) => {
              setDisplayName(event.currentTarget.value);
            }}
          />
          <TextInput
            label={t('identity.accounts.email')}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => {
              setEmail(event.currentTarget.value);
            }}
          />
          <Button type="submit" loading={create.isPending}>
            {t('identity.accounts.create.submit')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function DisableAccountModal({
  account,
  onClose,
  onDone,
}: {
  account: AccountSummary | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const disable = useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) => disableAccount(id, text),
    onSuccess: () => {
      setReason('');
      onDone();
    },
  });
  return (
    <Modal
      opened={account !== null}
      onClose={onClose}
      title={t('identity.accounts.disable.title')}
      closeButtonProps={{ 'aria-label': t('identity.close') }}
      centered
    >
      {account && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            disable.mutate({ id: account.id, text: reason.trim() });
          }}
        >
          <Stack gap="sm">
            <Text size="sm">
              {t('identity.accounts.disable.body', { name: account.displayName })}
            </Text>
            <ErrorMessage error={disable.error} />
            <Textarea
              label={t('identity.accounts.disable.reason')}
              required
              maxLength={500}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
              }}
            />
            <Button type="submit" color="red" loading={disable.isPending}>
              {t('identity.accounts.disable.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function AccountState({ account }: { account: AccountSummary }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {account.disabled && <Badge color="gray.8">{t('identity.accounts.state.disabled')}</Badge>}
      {account.locked && <Badge color="red.9">{t('identity.accounts.state.locked')}</Badge>}
      {account.mustChangePassword && (
        <Badge color="orange" variant="light" c="dark.8">
          {t('identity.accounts.state.temporaryPassword')}
        </Badge>
      )}
      {account.mfaEnrolled ? (
        <Badge color="teal" variant="light" c="dark.8">
          {t('identity.accounts.state.mfa', {
            methods: account.mfaMethods.map((m) => t(`identity.factor.${m}`)).join('・'),
          })}
        </Badge>
      ) : (
        <Badge color="orange" variant="light" c="dark.8">
          {t('identity.accounts.state.noMfa')}
        </Badge>
      )}
      {!account.disabled && !account.locked && (
        <Badge color="blue" variant="outline" c="dark.8">
          {t('identity.accounts.state.active')}
        </Badge>
      )}
    </Group>
  );
}

const ACTION_LABELS = {
  reset: 'identity.accounts.actions.reset',
  unlock: 'identity.accounts.actions.unlock',
  mfa: 'identity.accounts.actions.mfaReset',
  enable: 'identity.accounts.actions.enable',
  disable: 'identity.accounts.actions.disable',
} as const satisfies Record<AccountActionKind, string>;

/** The actions menu of one account: only the actions the server allows (house style 3). */
function AccountActionsMenu({
  account,
  pending,
  onAction,
}: {
  account: AccountSummary;
  pending: boolean;
  onAction: (kind: AccountActionKind) => void;
}) {
  const { t } = useTranslation();
  const actions = accountActionsOf(account);
  if (actions.length === 0) return <>—</>;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="xs"
          variant="default"
          aria-label={t('identity.accounts.actionsFor', { name: account.displayName })}
          loading={pending}
        >
          {t('identity.sessions.actions')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {actions.map((kind) => (
          <Menu.Item
            key={kind}
            {...(kind === 'disable' ? { color: 'red' } : {})}
            onClick={() => {
              onAction(kind);
            }}
          >
            {t(ACTION_LABELS[kind])}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * Mamori's accounts for administrators (permission `account:read`; actions `account:manage`,
 * each a privileged operation with step-up, std-7.2.5): create with a temporary password, reset
 * to a temporary password, unlock, disable, force MFA re-enrolment. Each is an operation-log event.
 */
export function AccountsPage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const queryClient = useQueryClient();
  const session = useSession();
  const canRead = sessionHasPermission(session.data ?? null, 'account:read');
  const canManage = sessionHasPermission(session.data ?? null, 'account:manage');
  const accounts = useAccounts(canRead);
  const [isCreating, setIsCreating] = useState(false);
  const [temporary, setTemporary] = useState<TemporaryPasswordResponse | null>(null);
  const [disabling, setDisabling] = useState<AccountSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: identityKeys.accounts });
  const action = useMutation({
    mutationFn: async ({
      kind,
      account,
    }: {
      kind: Exclude<AccountActionKind, 'disable'>;
      account: AccountSummary;
    }) => {
      if (kind === 'reset')
        return { kind, account, result: await issueTemporaryPassword(account.id) };
      if (kind === 'unlock') await unlockAccount(account.id);
      else if (kind === 'enable') await enableAccount(account.id);
      else await resetAccountMfa(account.id);
      return { kind, account, result: null };
    },
    onSuccess: ({ kind, account, result }) => {
      if (result !== null) setTemporary(result);
      setNotice(
        kind === 'unlock'
          ? t('identity.accounts.done.unlocked', { name: account.displayName })
          : kind === 'enable'
            ? t('identity.accounts.done.enabled', { name: account.displayName })
            : kind === 'mfa'
              ? t('identity.accounts.done.mfaReset', { name: account.displayName })
              : null,
      );
    },
    onSettled: refresh,
  });

  if (!canRead) {
    return (
      <>
        <PageHeader title={t('identity.accounts.title')} />
        <Alert color="gray" role="note">
          {t('errors.forbidden')}
        </Alert>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('identity.accounts.title')} description={t('identity.accounts.intro')} />
      <Stack gap="md">
        {canManage && (
          <Group>
            <Button
              onClick={() => {
                setIsCreating(true);
              }}
            >
              {t('identity.accounts.create.open')}
            </Button>
          </Group>
        )}
        {notice !== null && (
          <Alert
            color="teal"
            role="status"
            withCloseButton
            onClose={() => {
              setNotice(null);
            }}
            closeButtonLabel={t('identity.close')}
          >
            {notice}
          </Alert>
        )}
        <ErrorMessage error={accounts.error ?? action.error} />
        {accounts.isPending && <Loader size="sm" aria-label={t('identity.loading')} />}
        {accounts.data && (
          <Table.ScrollContainer minWidth={800}>
            <Table striped highlightOnHover data-testid="accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('identity.accounts.loginName')}</Table.Th>
                  <Table.Th>{t('identity.accounts.displayName')}</Table.Th>
                  <Table.Th>{t('identity.accounts.stateLabel')}</Table.Th>
                  <Table.Th>{t('identity.accounts.lastLoginAt')}</Table.Th>
                  {canManage && <Table.Th>{t('identity.sessions.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.data.accounts.map((account) => (
                  <Table.Tr key={account.id}>
                    <Table.Td>{account.loginName}</Table.Td>
                    <Table.Td>{account.displayName}</Table.Td>
                    <Table.Td>
                      <AccountState account={account} />
                      {account.failedLoginCount > 0 && (
                        <Text size="xs" mt={4}>
                          {t('identity.accounts.failedCount', { count: account.failedLoginCount })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {account.lastLoginAt === null ? '—' : formatDateTime(account.lastLoginAt)}
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <AccountActionsMenu
                          account={account}
                          pending={action.isPending && action.variables.account.id === account.id}
                          onAction={(kind) => {
                            if (kind === 'disable') setDisabling(account);
                            else action.mutate({ kind, account });
                          }}
                        />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <CreateAccountModal
        opened={isCreating}
        onClose={() => {
          setIsCreating(false);
        }}
        onCreated={(result) => {
          setIsCreating(false);
          setTemporary(result);
          void refresh();
        }}
      />
      <TemporaryPasswordModal
        result={temporary}
        onClose={() => {
          setTemporary(null);
        }}
      />
      <DisableAccountModal
        account={disabling}
        onClose={() => {
          setDisabling(null);
        }}
        onDone={() => {
          setNotice(t('identity.accounts.done.disabled', { name: disabling?.displayName ?? '' }));
          setDisabling(null);
          void refresh();
        }}
      />
    </>
  );
}

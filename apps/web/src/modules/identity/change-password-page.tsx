import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { applySession, changePassword, useLoginInfo, useSession } from './api.js';
import { ErrorMessage } from './error-message.js';
import { PasswordField } from './password-field.js';
import { LogoutButton } from './logout-button.js';

/**
 * Replaces the temporary password (std-7.2.4.2): the only thing such a session can do besides
 * logging out. The rules are NIST SP 800-63B-4: a minimum length, any characters, no composition
 * rules; a refusal names its reasons (too short, too long, a common password, the login name or
 * the municipality's name in it).
 */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const session = useSession();
  const loginInfo = useLoginInfo();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: (next) => {
      applySession(queryClient, next);
    },
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (newPassword !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    mutation.mutate({ currentPassword, newPassword });
  };

  const rules = loginInfo.data?.password;
  return (
    <>
      <PageHeader
        title={t('identity.changePassword.title')}
        description={t('identity.changePassword.intro', {
          name: session.data?.account.displayName ?? '',
        })}
      />
      <Alert
        variant="light"
        color="blue"
        role="note"
        mb="lg"
        title={t('identity.changePassword.rulesTitle')}
      >
        <List size="sm" data-testid="password-rules">
          {rules !== undefined && (
            <List.Item>
              {t('identity.changePassword.ruleLength', {
                min: rules.minLength,
                max: rules.maxLength,
              })}
            </List.Item>
          )}
          <List.Item>{t('identity.changePassword.ruleAnyCharacters')}</List.Item>
          <List.Item>{t('identity.changePassword.ruleNoComposition')}</List.Item>
          <List.Item>{t('identity.changePassword.ruleBlocklist')}</List.Item>
        </List>
      </Alert>
      <form onSubmit={submit}>
        <Stack gap="md">
          <ErrorMessage error={mutation.error} />
          {/* For password managers: whose password this is. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={session.data?.account.loginName ?? ''}
            readOnly
            hidden
          />
          <PasswordField
            label={t('identity.changePassword.current')}
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => {
              setCurrentPassword(event.currentTarget.value);
            }}
          />
          <PasswordField
            label={t('identity.changePassword.new')}
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => {
              setNewPassword(event.currentTarget.value);
            }}
          />
          <PasswordField
            label={t('identity.changePassword.confirm')}
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.currentTarget.value);
            }}
            error={mismatch ? t('identity.changePassword.mismatch') : undefined}
          />
          <Button type="submit" loading={mutation.isPending}>
            {t('identity.changePassword.submit')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('identity.changePassword.logoutHint')}
          </Text>
          <LogoutButton variant="default" />
        </Stack>
      </form>
    </>
  );
}

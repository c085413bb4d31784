import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { applySession, login, takeSessionExpired, useLoginInfo } from './api.js';
import { ErrorMessage } from './error-message.js';
import { PasswordField } from './password-field.js';

/**
 * Login with login name and password. The municipality's banner (setting `auth.login.banner`)
 * stands above the form. A wrong password and an unknown name read the same (std-7.2.3).
 */
export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const loginInfo = useLoginInfo();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [hasExpired] = useState(takeSessionExpired);
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      setPassword('');
      // The route of the login step follows from the new session's state.
      applySession(queryClient, session);
    },
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    mutation.mutate({ loginName, password });
  };

  const banner = loginInfo.data?.banner.trim() ?? '';
  return (
    <>
      <PageHeader title={t('identity.login.title')} />
      {banner !== '' && (
        <Alert variant="light" color="blue" role="note" mb="lg" data-testid="login-banner">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{banner}</Text>
        </Alert>
      )}
      {hasExpired && !mutation.isSuccess && (
        <Alert variant="light" color="blue" role="status" mb="lg">
          {t('errors.session_expired')}
        </Alert>
      )}
      {loginInfo.isError && <ErrorMessage error={loginInfo.error} />}
      <form onSubmit={submit} noValidate={false}>
        <Stack gap="md">
          <ErrorMessage error={mutation.error} />
          <TextInput
            label={t('identity.login.loginName')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={loginName}
            onChange={(event) => {
              setLoginName(event.currentTarget.value);
            }}
          />
          <PasswordField
            label={t('identity.login.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
            }}
          />
          <Button type="submit" loading={mutation.isPending}>
            {t('identity.login.submit')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('identity.login.help')}
          </Text>
        </Stack>
      </form>
    </>
  );
}

import type { MfaEnrolledResponse } from '@mamori/contracts';
import { Button, Stack, Text, TextInput } from '@mantine/core';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { registerWebauthn } from './api.js';
import { ErrorMessage } from './error-message.js';

/**
 * Registers a security key or passkey (WebAuthn with user verification: 所持 + 存在, std-5.4.2)
 * under a name its owner recognizes.
 */
export function WebauthnSetup({
  onEnrolled,
}: {
  onEnrolled: (result: MfaEnrolledResponse) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const register = useMutation({ mutationFn: registerWebauthn, onSuccess: onEnrolled });
  if (!browserSupportsWebAuthn()) {
    return <Text size="sm">{t('identity.webauthn.unsupported')}</Text>;
  }
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    register.mutate(name.trim());
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{t('identity.webauthn.intro')}</Text>
        <ErrorMessage error={register.error} />
        <TextInput
          label={t('identity.webauthn.nameLabel')}
          description={t('identity.webauthn.nameHint')}
          autoComplete="off"
          required
          maxLength={60}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
        />
        <Button type="submit" loading={register.isPending}>
          {t('identity.webauthn.register')}
        </Button>
      </Stack>
    </form>
  );
}

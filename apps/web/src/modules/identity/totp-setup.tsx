import type { MfaEnrolledResponse } from '@mamori/contracts';
import { Alert, Anchor, Button, Code, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { confirmTotp, removeTotp, startTotpEnrolment } from './api.js';
import { ErrorMessage } from './error-message.js';

/** Groups a base32 secret in fours so it can be typed by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Sets up an authenticator app (TOTP, std-5.4.2): a new secret from the server, shown for manual
 * entry (base32) and as an otpauth:// link, then confirmed with a code from the app.
 * No QR code: no QR library is bundled yet (the app must work offline, so none is fetched).
 */
export function TotpSetup({
  onEnrolled,
  replacesExisting = false,
}: {
  onEnrolled: (result: MfaEnrolledResponse) => void;
  /** Re-enrolment: the registered app is removed first (refused when it is the only factor). */
  replacesExisting?: boolean;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const start = useMutation({
    mutationFn: async () => {
      if (replacesExisting) await removeTotp();
      return startTotpEnrolment();
    },
  });
  const confirm = useMutation({ mutationFn: confirmTotp, onSuccess: onEnrolled });

  if (start.data === undefined) {
    return (
      <Stack gap="sm">
        <Text size="sm">{t('identity.totp.intro')}</Text>
        {replacesExisting && <Text size="sm">{t('identity.totp.replaceWarning')}</Text>}
        <ErrorMessage error={start.error} />
        <Button
          onClick={() => {
            start.mutate();
          }}
          loading={start.isPending}
        >
          {t('identity.totp.start')}
        </Button>
      </Stack>
    );
  }

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    confirm.mutate(code);
  };
  return (
    <Stack gap="md">
      <Text size="sm">{t('identity.totp.scanInstructions')}</Text>
      <Alert variant="light" color="gray" role="note">
        <Stack gap="xs">
          <Text size="sm" fw={700}>
            {t('identity.totp.secretLabel')}
          </Text>
          <Code fz="lg" data-testid="totp-secret" data-secret={start.data.secret}>
            {groupSecret(start.data.secret)}
          </Code>
          <Text size="sm">{t('identity.totp.manualSettings')}</Text>
          <Anchor href={start.data.uri} size="sm" data-testid="totp-uri">
            {t('identity.totp.openInApp')}
          </Anchor>
        </Stack>
      </Alert>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ErrorMessage error={confirm.error} />
          <TextInput
            label={t('identity.totp.codeLabel')}
            description={t('identity.totp.codeHint')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={12}
            required
            value={code}
            onChange={(event) => {
              setCode(event.currentTarget.value);
            }}
          />
          <Button type="submit" loading={confirm.isPending}>
            {t('identity.totp.confirm')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

import type { MfaEnrolledResponse } from '@mamori/contracts';
import { Alert, Anchor, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { confirmTotp, startTotpEnrolment } from './api.js';
import { ErrorMessage } from './error-message.js';
import { QrCode } from './qr-code.js';

/** Groups a base32 secret in fours so it can be typed by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Sets up an authenticator app (TOTP, std-5.4.2): a new secret from the server, shown as a QR code
 * (drawn here, offline), for manual entry (base32) and as an otpauth:// link, then confirmed with a
 * code from the app. Setting it up again replaces the registered app only when the new code is
 * confirmed (the server keeps the old secret valid until then), so an account whose only factor is
 * the app is never left without one.
 */
export function TotpSetup({
  onEnrolled,
  replacesExisting = false,
}: {
  onEnrolled: (result: MfaEnrolledResponse) => void;
  /** Re-enrolment: the registered app keeps working until the new one is confirmed. */
  replacesExisting?: boolean;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [hasExpired, setHasExpired] = useState(false);
  const start = useMutation({
    mutationFn: startTotpEnrolment,
    onSuccess: () => {
      setHasExpired(false);
    },
  });
  const confirm = useMutation({
    mutationFn: confirmTotp,
    onSuccess: onEnrolled,
    onError: (error) => {
      // The pending replacement is gone (timed out, or the session rotated on a step-up): start over.
      if (replacesExisting && error instanceof ApiError && error.code === 'conflict') {
        setHasExpired(true);
        setCode('');
        start.reset();
      }
    },
  });

  if (start.data === undefined) {
    return (
      <Stack gap="sm">
        <Text size="sm">{t('identity.totp.intro')}</Text>
        {replacesExisting && <Text size="sm">{t('identity.totp.replaceWarning')}</Text>}
        {hasExpired && (
          <Alert color="yellow" role="status">
            {t('identity.totp.replacementExpired')}
          </Alert>
        )}
        <ErrorMessage error={start.error} />
        <Button
          onClick={() => {
            confirm.reset();
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
        <Group align="flex-start" gap="lg">
          <QrCode value={start.data.uri} label={t('identity.totp.qrLabel')} testId="totp-qr" />
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
        </Group>
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

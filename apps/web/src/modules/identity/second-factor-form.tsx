import type { MfaMethod, SessionInfo } from '@mamori/contracts';
import { Button, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './error-message.js';

export interface SecondFactorHandlers {
  readonly totp: (code: string) => Promise<SessionInfo>;
  readonly webauthn: () => Promise<SessionInfo>;
  readonly recoveryCode?: (code: string) => Promise<SessionInfo>;
}

/**
 * Presents a second factor (std-5.4.2): an authenticator-app code, a security key or passkey,
 * or a recovery code. Used by the login step and by the step-up dialog (std-7.2.5).
 */
export function SecondFactorForm({
  factors,
  handlers,
  onVerified,
}: {
  factors: readonly MfaMethod[];
  handlers: SecondFactorHandlers;
  onVerified: (session: SessionInfo) => void;
}) {
  const { t } = useTranslation();
  const offered = factors.filter(
    (factor) => factor !== 'recovery_code' || handlers.recoveryCode !== undefined,
  );
  const [method, setMethod] = useState<MfaMethod>(offered[0] ?? 'totp');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isPending, setIsPending] = useState(false);

  async function run(verify: () => Promise<SessionInfo>) {
    setIsPending(true);
    setError(null);
    try {
      onVerified(await verify());
    } catch (caught) {
      setError(caught);
    } finally {
      setIsPending(false);
    }
  }

  const submitCode = (event: SyntheticEvent, verify: (code: string) => Promise<SessionInfo>) => {
    event.preventDefault();
    void run(() => verify(code));
  };

  return (
    <Tabs
      value={method}
      onChange={(value) => {
        const next = offered.find((factor) => factor === value);
        if (next !== undefined) {
          setMethod(next);
          setCode('');
          setError(null);
        }
      }}
    >
      <Tabs.List mb="sm">
        {offered.map((factor) => (
          <Tabs.Tab key={factor} value={factor}>
            {t(`identity.factor.${factor}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <ErrorMessage error={error} />
      {offered.includes('totp') && (
        <Tabs.Panel value="totp" pt="sm">
          <form
            onSubmit={(event) => {
              submitCode(event, handlers.totp);
            }}
          >
            <Stack gap="sm">
              <TextInput
                label={t('identity.secondFactor.totpLabel')}
                description={t('identity.secondFactor.totpHint')}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={12}
                required
                value={code}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                }}
                data-autofocus
              />
              <Button type="submit" loading={isPending}>
                {t('identity.secondFactor.verify')}
              </Button>
            </Stack>
          </form>
        </Tabs.Panel>
      )}
      {offered.includes('webauthn') && (
        <Tabs.Panel value="webauthn" pt="sm">
          <Stack gap="sm">
            <Text size="sm">{t('identity.secondFactor.webauthnHint')}</Text>
            <Button loading={isPending} onClick={() => void run(handlers.webauthn)}>
              {t('identity.secondFactor.useSecurityKey')}
            </Button>
          </Stack>
        </Tabs.Panel>
      )}
      {offered.includes('recovery_code') && (
        <Tabs.Panel value="recovery_code" pt="sm">
          <form
            onSubmit={(event) => {
              if (handlers.recoveryCode) submitCode(event, handlers.recoveryCode);
            }}
          >
            <Stack gap="sm">
              <TextInput
                label={t('identity.secondFactor.recoveryCodeLabel')}
                description={t('identity.secondFactor.recoveryCodeHint')}
                autoComplete="off"
                required
                value={code}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                }}
              />
              <Button type="submit" loading={isPending}>
                {t('identity.secondFactor.verify')}
              </Button>
            </Stack>
          </form>
        </Tabs.Panel>
      )}
    </Tabs>
  );
}

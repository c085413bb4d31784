import type { MfaEnrolledResponse } from '@mamori/contracts';
import { Accordion, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sessionBridge } from '../../api/client.js';
import { PageHeader } from '../../layout/page-header.js';
import { applySession } from './api.js';
import { LogoutButton } from './logout-button.js';
import { RecoveryCodesPanel } from './recovery-codes-panel.js';
import { TotpSetup } from './totp-setup.js';
import { WebauthnSetup } from './webauthn-setup.js';

/**
 * Forced second-factor enrolment after the first password change (std-5.4.2): an authenticator
 * app or a security key / passkey, then the recovery codes, shown once.
 */
export function MfaEnrolmentPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [enrolled, setEnrolled] = useState<MfaEnrolledResponse | null>(null);

  const onEnrolled = (result: MfaEnrolledResponse) => {
    if (result.recoveryCodes === null || result.recoveryCodes.length === 0) {
      applySession(queryClient, result.session);
      return;
    }
    // The session is active now, but the codes stay on screen until acknowledged: only the
    // rotated CSRF token is taken over at once.
    sessionBridge.csrfToken = result.session.csrfToken;
    setEnrolled(result);
  };

  if (enrolled?.recoveryCodes) {
    return (
      <>
        <PageHeader title={t('identity.mfaEnrolment.doneTitle')} />
        <RecoveryCodesPanel
          codes={enrolled.recoveryCodes}
          onAcknowledged={() => {
            applySession(queryClient, enrolled.session);
          }}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('identity.mfaEnrolment.title')}
        description={t('identity.mfaEnrolment.intro')}
      />
      <Stack gap="lg">
        <Accordion variant="separated" defaultValue="totp">
          <Accordion.Item value="totp">
            <Accordion.Control>{t('identity.factor.totp')}</Accordion.Control>
            <Accordion.Panel>
              <TotpSetup onEnrolled={onEnrolled} />
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="webauthn">
            <Accordion.Control>{t('identity.factor.webauthn')}</Accordion.Control>
            <Accordion.Panel>
              <WebauthnSetup onEnrolled={onEnrolled} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
        <Text size="sm" c="dimmed">
          {t('identity.mfaEnrolment.logoutHint')}
        </Text>
        <LogoutButton variant="default" />
      </Stack>
    </>
  );
}

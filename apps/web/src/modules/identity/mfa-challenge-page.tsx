import { Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { applySession, useSession, verifyRecoveryCode, verifyTotp, verifyWebauthn } from './api.js';
import { LogoutButton } from './logout-button.js';
import { SecondFactorForm } from './second-factor-form.js';

/** The second step of login (std-5.4.2): an authenticator-app code, a security key or a recovery code. */
export function MfaChallengePage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const session = useSession();
  const factors = session.data?.availableFactors ?? [];
  return (
    <>
      <PageHeader title={t('identity.mfa.title')} description={t('identity.mfa.intro')} />
      <Stack gap="lg">
        <SecondFactorForm
          factors={factors.length > 0 ? factors : ['totp', 'recovery_code']}
          handlers={{
            totp: verifyTotp,
            webauthn: verifyWebauthn,
            recoveryCode: verifyRecoveryCode,
          }}
          onVerified={(next) => {
            applySession(queryClient, next);
          }}
        />
        <Text size="sm" c="dimmed">
          {t('identity.mfa.lostFactor')}
        </Text>
        <LogoutButton variant="default" />
      </Stack>
    </>
  );
}

import type { MfaEnrolledResponse } from '@mamori/contracts';
import { Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../../app/use-date-time-format.js';
import { PageHeader } from '../../layout/page-header.js';
import {
  applySession,
  identityKeys,
  regenerateRecoveryCodes,
  removeWebauthnCredential,
  revokeOwnSession,
  useMfaFactors,
  useOwnSessions,
} from './api.js';
import { ErrorMessage } from './error-message.js';
import { RecoveryCodesPanel } from './recovery-codes-panel.js';
import { TotpSetup } from './totp-setup.js';
import { WebauthnSetup } from './webauthn-setup.js';

function SectionCard({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** The caller's own sessions, each revocable (std-7.2.3: a session not recognized can be ended). */
function OwnSessions() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const queryClient = useQueryClient();
  const sessions = useOwnSessions();
  const revoke = useMutation({
    mutationFn: revokeOwnSession,
    onSettled: () => queryClient.invalidateQueries({ queryKey: identityKeys.sessions }),
  });
  return (
    <SectionCard id="own-sessions-heading" title={t('identity.sessions.title')}>
      <Text size="sm" mb="sm">
        {t('identity.sessions.intro')}
      </Text>
      <ErrorMessage error={sessions.error ?? revoke.error} />
      {sessions.isPending && <Loader size="sm" aria-label={t('identity.loading')} />}
      {sessions.data && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="own-sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('identity.sessions.createdAt')}</Table.Th>
                <Table.Th>{t('identity.sessions.lastSeenAt')}</Table.Th>
                <Table.Th>{t('identity.sessions.ip')}</Table.Th>
                <Table.Th>{t('identity.sessions.userAgent')}</Table.Th>
                <Table.Th>{t('identity.sessions.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.sessions.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
                  <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
                  <Table.Td>{session.ip ?? '—'}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    {session.userAgent ?? '—'}
                  </Table.Td>
                  <Table.Td>
                    {session.current ? (
                      <Badge variant="light" c="dark.8">
                        {t('identity.sessions.current')}
                      </Badge>
                    ) : (
                      <Button
                        size="xs"
                        variant="default"
                        loading={revoke.isPending && revoke.variables === session.id}
                        onClick={() => {
                          revoke.mutate(session.id);
                        }}
                      >
                        {t('identity.sessions.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </SectionCard>
  );
}

/** The caller's second factors: authenticator app, security keys, recovery codes (each change needs a step-up). */
function MfaFactors() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const queryClient = useQueryClient();
  const factors = useMfaFactors();
  const [adding, setAdding] = useState<'totp' | 'webauthn' | null>(null);
  const [newCodes, setNewCodes] = useState<readonly string[] | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: identityKeys.mfaFactors });
  const onEnrolled = (result: MfaEnrolledResponse) => {
    applySession(queryClient, result.session);
    setAdding(null);
    if (result.recoveryCodes !== null && result.recoveryCodes.length > 0) {
      setNewCodes(result.recoveryCodes);
    }
    void refresh();
  };
  const remove = useMutation({ mutationFn: removeWebauthnCredential, onSettled: refresh });
  const regenerate = useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: (result) => {
      setNewCodes(result.recoveryCodes);
      void refresh();
    },
  });

  if (newCodes !== null) {
    return (
      <SectionCard id="mfa-heading" title={t('identity.mfaFactors.title')}>
        <RecoveryCodesPanel
          codes={newCodes}
          onAcknowledged={() => {
            setNewCodes(null);
          }}
        />
      </SectionCard>
    );
  }

  const data = factors.data;
  return (
    <SectionCard id="mfa-heading" title={t('identity.mfaFactors.title')}>
      <Stack gap="lg">
        <Text size="sm">{t('identity.mfaFactors.stepUpNote')}</Text>
        <ErrorMessage error={factors.error ?? remove.error ?? regenerate.error} />
        {factors.isPending && <Loader size="sm" aria-label={t('identity.loading')} />}
        {data && (
          <>
            <Stack gap="xs">
              <Title order={3} size="h4">
                {t('identity.factor.totp')}
              </Title>
              <Text size="sm" data-testid="totp-status">
                {data.totp === null
                  ? t('identity.mfaFactors.totpNone')
                  : t('identity.mfaFactors.totpSince', {
                      time: formatDateTime(data.totp.confirmedAt),
                    })}
              </Text>
              {adding === 'totp' ? (
                <>
                  <TotpSetup onEnrolled={onEnrolled} replacesExisting={data.totp !== null} />
                  <Button
                    variant="subtle"
                    onClick={() => {
                      setAdding(null);
                    }}
                  >
                    {t('identity.cancel')}
                  </Button>
                </>
              ) : (
                <Group>
                  <Button
                    variant="default"
                    onClick={() => {
                      setAdding('totp');
                    }}
                  >
                    {data.totp === null
                      ? t('identity.mfaFactors.totpAdd')
                      : t('identity.mfaFactors.totpReenrol')}
                  </Button>
                </Group>
              )}
            </Stack>
            <Stack gap="xs">
              <Title order={3} size="h4">
                {t('identity.factor.webauthn')}
              </Title>
              {data.webauthn.length === 0 ? (
                <Text size="sm">{t('identity.mfaFactors.webauthnNone')}</Text>
              ) : (
                <Table data-testid="security-keys">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('identity.mfaFactors.keyName')}</Table.Th>
                      <Table.Th>{t('identity.mfaFactors.keyCreatedAt')}</Table.Th>
                      <Table.Th>{t('identity.mfaFactors.keyLastUsedAt')}</Table.Th>
                      <Table.Th>{t('identity.sessions.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.webauthn.map((key) => (
                      <Table.Tr key={key.id}>
                        <Table.Td>{key.name}</Table.Td>
                        <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
                        <Table.Td>
                          {key.lastUsedAt === null ? '—' : formatDateTime(key.lastUsedAt)}
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="default"
                            color="red"
                            loading={remove.isPending && remove.variables === key.id}
                            onClick={() => {
                              remove.mutate(key.id);
                            }}
                            aria-label={t('identity.mfaFactors.keyRemoveNamed', { name: key.name })}
                          >
                            {t('identity.mfaFactors.keyRemove')}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {adding === 'webauthn' ? (
                <>
                  <WebauthnSetup onEnrolled={onEnrolled} />
                  <Button
                    variant="subtle"
                    onClick={() => {
                      setAdding(null);
                    }}
                  >
                    {t('identity.cancel')}
                  </Button>
                </>
              ) : (
                <Group>
                  <Button
                    variant="default"
                    onClick={() => {
                      setAdding('webauthn');
                    }}
                  >
                    {t('identity.mfaFactors.keyAdd')}
                  </Button>
                </Group>
              )}
            </Stack>
            <Stack gap="xs">
              <Title order={3} size="h4">
                {t('identity.factor.recovery_code')}
              </Title>
              <Text size="sm" data-testid="recovery-codes-remaining">
                {t('identity.mfaFactors.recoveryRemaining', { count: data.recoveryCodesRemaining })}
              </Text>
              <Group>
                <Button
                  variant="default"
                  loading={regenerate.isPending}
                  onClick={() => {
                    regenerate.mutate();
                  }}
                >
                  {t('identity.mfaFactors.recoveryRegenerate')}
                </Button>
              </Group>
            </Stack>
          </>
        )}
      </Stack>
    </SectionCard>
  );
}

/** セキュリティ設定: own sessions, second factors, recovery codes. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('identity.security.title')} description={t('identity.security.intro')} />
      <Stack gap="lg" maw={1000}>
        <MfaFactors />
        <OwnSessions />
      </Stack>
    </>
  );
}

import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../../app/use-date-time-format.js';
import { useSession } from './api.js';

/**
 * The previous successful login (time, IP address) and the failed attempts since (std-7.2.3), so
 * a user notices a login that was not theirs.
 */
export function PreviousLoginNotice() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const session = useSession();
  if (session.data == null) return null;
  const { previousLogin, failedAttemptsSincePreviousLogin: failures } = session.data;
  return (
    <Alert
      variant="light"
      color="blue"
      role="note"
      title={t('identity.previousLogin.title')}
      mb="lg"
      maw={1000}
      data-testid="previous-login"
    >
      {previousLogin === null
        ? t('identity.previousLogin.first')
        : t('identity.previousLogin.at', {
            time: formatDateTime(previousLogin.at),
            ip: previousLogin.ip ?? t('identity.previousLogin.unknownIp'),
          })}
      {failures > 0 && (
        <>
          <br />
          <strong data-testid="failed-attempts">
            {t('identity.previousLogin.failures', { count: failures })}
          </strong>
        </>
      )}
    </Alert>
  );
}

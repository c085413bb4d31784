import { passwordRejectionReasonSchema, type PasswordRejectionReason } from '@mamori/contracts';
import { Alert, List } from '@mantine/core';
import { WebAuthnError } from '@simplewebauthn/browser';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, localizeApiError } from '../../api/client.js';

/** The user-facing message for a failed identity call, including the browser's WebAuthn failures. */
export function describeIdentityError(error: unknown, t: TFunction): string {
  if (
    error instanceof WebAuthnError ||
    (error instanceof DOMException && error.name !== 'AbortError')
  ) {
    return t('identity.webauthn.failed');
  }
  return localizeApiError(error, t);
}

/** Why a new password was refused, one localized line per reason (details.reasons). */
export function passwordRejectionReasons(error: unknown): PasswordRejectionReason[] {
  if (!(error instanceof ApiError) || error.code !== 'password_rejected') return [];
  const reasons = error.details?.['reasons'];
  if (!Array.isArray(reasons)) return [];
  return reasons.flatMap((reason: unknown): PasswordRejectionReason[] => {
    const parsed = passwordRejectionReasonSchema.safeParse(reason);
    return parsed.success ? [parsed.data] : [];
  });
}

/** An error announced to screen readers (role="alert"), with password rejection reasons listed. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const reasons = passwordRejectionReasons(error);
  return (
    <Alert color="red" variant="light" role="alert" data-testid="error-message">
      {describeIdentityError(error, t)}
      {reasons.length > 0 && (
        <List size="sm" mt="xs">
          {reasons.map((reason) => (
            <List.Item key={reason}>{t(`identity.passwordRejection.${reason}`)}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

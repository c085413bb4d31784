import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { createI18n } from '../../i18n/index.js';
import { describeIdentityError, passwordRejectionReasons } from './error-message.js';

describe('password rejection reasons', () => {
  it('reads the known reasons from a password_rejected error and drops unknown ones', () => {
    const error = new ApiError('password_rejected', 400, {
      reasons: ['too_short', 'contains_login_name', 'no_such_reason'],
    });
    expect(passwordRejectionReasons(error)).toEqual(['too_short', 'contains_login_name']);
    expect(passwordRejectionReasons(new ApiError('invalid_credentials', 401))).toEqual([]);
  });

  it('has a Japanese and an English text for every reason', () => {
    for (const language of ['ja', 'en'] as const) {
      const { t } = createI18n(language);
      for (const reason of [
        'too_short',
        'too_long',
        'common_password',
        'contains_login_name',
        'contains_municipality_name',
        'same_as_current',
      ] as const) {
        expect(t(`identity.passwordRejection.${reason}`)).not.toContain('passwordRejection');
      }
    }
  });
});

describe('describeIdentityError', () => {
  it('std-7.2.3: a wrong password and an unknown user read the same generic message', () => {
    const { t } = createI18n('ja');
    expect(describeIdentityError(new ApiError('invalid_credentials', 401), t)).toContain(
      'ログイン名またはパスワードが正しくない',
    );
  });

  it('reads a refused browser WebAuthn ceremony as a security-key failure', () => {
    const { t } = createI18n('en');
    expect(describeIdentityError(new DOMException('denied', 'NotAllowedError'), t)).toBe(
      t('identity.webauthn.failed'),
    );
  });
});

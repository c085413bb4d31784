import type { Actor, OperationEvent } from '../../platform/oplog/oplog.service.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import type { TenantTx } from '../../platform/db/database.js';

/**
 * The identity module's operation-log events (std-7.1.4, std-7.2.3): every
 * login attempt, lockout, logout, password change, MFA change and
 * administrator action. Never a password, code or secret in a payload.
 */
export type IdentityEvent =
  | {
      action: 'identity.login_attempted';
      subject: { type: 'account' | 'login_name'; id: string };
      payload: {
        factor: 'password' | 'totp' | 'webauthn' | 'recovery_code' | 'step_up';
        outcome: 'succeeded' | 'failed' | 'locked' | 'disabled';
        ip: string | null;
        /** The session state reached (success only). */
        state?: string;
      };
    }
  | {
      action: 'identity.account_locked';
      subject: { type: 'account'; id: string };
      payload: { failedLoginCount: number; lockedUntil: string };
    }
  | {
      action: 'identity.logged_out' | 'identity.session_revoked';
      subject: { type: 'session'; id: string };
      payload: { accountId: string };
    }
  | {
      action: 'identity.password_changed';
      subject: { type: 'account'; id: string };
      payload: { wasTemporary: boolean; otherSessionsEnded: number };
    }
  | {
      action: 'identity.mfa_enrolled' | 'identity.mfa_removed';
      subject: { type: 'account'; id: string };
      payload: {
        method: 'totp' | 'webauthn';
        credentialId?: string;
        name?: string;
        /** The new authenticator-app secret replaced the registered one (re-enrolment). */
        replacedExisting?: boolean;
      };
    }
  | {
      /** A new (unconfirmed) TOTP secret was issued; `identity.mfa_enrolled` follows on confirmation. */
      action: 'identity.mfa_enrolment_started';
      subject: { type: 'account'; id: string };
      /** `replacesExisting`: a registered app stays valid until the new secret is confirmed. */
      payload: { method: 'totp'; replacesExisting?: true };
    }
  | {
      action: 'identity.recovery_codes_issued';
      subject: { type: 'account'; id: string };
      payload: { count: number };
    }
  | {
      action: 'identity.elevated';
      subject: { type: 'session'; id: string };
      payload: { accountId: string; method: string; until: string };
    }
  | {
      action: 'identity.account_created';
      subject: { type: 'account'; id: string };
      payload: {
        loginName: string;
        displayName: string;
        personId: string | null;
        temporaryPasswordExpiresAt: string;
      };
    }
  | {
      action: 'identity.password_reset';
      subject: { type: 'account'; id: string };
      payload: { temporaryPasswordExpiresAt: string; sessionsEnded: number };
    }
  | {
      action: 'identity.account_unlocked';
      subject: { type: 'account'; id: string };
      payload: { failedLoginCount: number };
    }
  | {
      action: 'identity.account_disabled';
      subject: { type: 'account'; id: string };
      payload: { reason: string; sessionsEnded: number };
    }
  | {
      action: 'identity.account_enabled';
      subject: { type: 'account'; id: string };
      payload: Record<string, never>;
    }
  | {
      action: 'identity.mfa_reset';
      subject: { type: 'account'; id: string };
      payload: { sessionsEnded: number };
    };

/** Records an identity event in the caller's transaction (as its last statement). */
export async function recordIdentityEvent(
  tx: TenantTx,
  actor: Actor,
  event: IdentityEvent,
): Promise<void> {
  await recordOperation(tx, actor, event satisfies OperationEvent);
}

/** The actor of an attempt before anyone is authenticated. */
export const loginActor: Actor = { type: 'system', id: 'identity-login' };

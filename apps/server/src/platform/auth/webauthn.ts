import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * WebAuthn second factor (std-5.4.2): security keys and passkeys. User
 * verification is required, so a credential proves 所持 (the key) and 存在 or
 * 知識 (biometric or PIN). Attestation is not requested (`none`): Mamori
 * does not restrict authenticator models.
 */

/** The relying party: who the credentials are bound to. */
export interface RelyingParty {
  /** The RP ID: the host name of the public origin. */
  readonly id: string;
  readonly name: string;
  /** The exact origin the browser reports (scheme://host[:port]). */
  readonly origin: string;
}

/** A challenge expires after this long (the browser's timeout plus a margin). */
export const WEBAUTHN_TIMEOUT_MS = 5 * 60 * 1000;

/** The relying party of an origin (`https://mamori.city.example.lg.jp`). */
export function relyingPartyOf(origin: string): RelyingParty {
  const url = new URL(origin);
  return { id: url.hostname, name: 'Mamori', origin: url.origin };
}

/** A stored credential, as verification needs it. */
export interface StoredWebauthnCredential {
  /** base64url credential id. */
  readonly credentialId: string;
  readonly publicKey: Buffer;
  readonly signCount: number;
  readonly transports: readonly string[] | null;
}

/** What registration yields, to be stored. */
export interface RegisteredWebauthnCredential {
  readonly credentialId: string;
  readonly publicKey: Buffer;
  readonly signCount: number;
  readonly transports: string[];
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
}

/** Options for navigator.credentials.create(); the caller stores `challenge` (single use). */
export async function webauthnRegistrationOptions(
  rp: RelyingParty,
  user: {
    /** Stable opaque handle (the account id's bytes). */
    readonly id: Uint8Array;
    readonly name: string;
    readonly displayName: string;
  },
  existing: readonly StoredWebauthnCredential[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new Uint8Array(user.id),
    userName: user.name,
    userDisplayName: user.displayName,
    timeout: WEBAUTHN_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({
      id: c.credentialId,
      ...(c.transports ? { transports: [...c.transports] } : {}),
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
}

/**
 * Verifies a registration against the stored challenge, the origin and the RP
 * ID, with user verification required. Returns null when it does not verify.
 */
export async function verifyWebauthnRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
): Promise<RegisteredWebauthnCredential | null> {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!result.verified) return null;
    const info = result.registrationInfo;
    return {
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    };
  } catch {
    // Malformed data, wrong origin, wrong challenge: all are a refusal.
    return null;
  }
}

/** Options for navigator.credentials.get(); the caller stores `challenge` (single use). */
export async function webauthnAuthenticationOptions(
  rp: RelyingParty,
  allowed: readonly StoredWebauthnCredential[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: WEBAUTHN_TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: allowed.map((c) => ({
      id: c.credentialId,
      ...(c.transports ? { transports: [...c.transports] } : {}),
    })),
  });
}

/**
 * Verifies an assertion with the stored credential, challenge, origin and RP
 * ID, user verification required. Returns the new signature counter, or null.
 */
export async function verifyWebauthnAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: StoredWebauthnCredential,
): Promise<{ newSignCount: number } | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.signCount,
        ...(credential.transports ? { transports: [...credential.transports] } : {}),
      },
    });
    return result.verified ? { newSignCount: result.authenticationInfo.newCounter } : null;
  } catch {
    return null;
  }
}

import {
  accountIdParamsSchema,
  accountListSchema,
  accountResponseSchema,
  changePasswordInputSchema,
  createAccountInputSchema,
  disableAccountInputSchema,
  errorBodySchema,
  loginInfoSchema,
  loginInputSchema,
  mfaEnrolledResponseSchema,
  mfaFactorsSchema,
  ownSessionListSchema,
  recoveryCodeInputSchema,
  recoveryCodesResponseSchema,
  sessionIdParamsSchema,
  sessionInfoSchema,
  stepUpInputSchema,
  temporaryPasswordResponseSchema,
  totpEnrolmentSchema,
  totpVerifyInputSchema,
  webauthnCredentialParamsSchema,
  webauthnOptionsSchema,
  webauthnRegisterInputSchema,
  webauthnVerifyInputSchema,
  type SessionInfo,
  type SessionState,
} from '@mamori/contracts';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requestTenant } from '../../platform/http/tenant.js';
import {
  assertPreSessionRequest,
  assertTransportAllowed,
  clearSessionCookie,
  clientIp,
  expectedOrigin,
  sessionTokenOf,
  setSessionCookie,
  userAgentOf,
} from '../../platform/auth/session-transport.js';
import { relyingPartyOf, type RelyingParty } from '../../platform/auth/webauthn.js';
import {
  createAccount,
  disableAccount,
  enableAccount,
  listAccounts,
  resetMfa,
  resetPassword,
  unlockAccount,
  type PersonLinker,
} from './commands/administer-accounts.js';
import { loginWithPassword } from './commands/login.js';
import {
  changePassword,
  currentSessionInfo,
  listOwnFactors,
  listOwnSessions,
  logout,
  regenerateRecoveryCodes,
  removeOwnFactor,
  revokeOwnSession,
} from './commands/own-account.js';
import {
  confirmTotpEnrolment,
  enrolledResponse,
  registerWebauthn,
  startTotpEnrolment,
  verifySecondFactor,
  webauthnEnrolmentOptions,
  webauthnLoginOptions,
  type FactorInput,
  type RotatedSession,
} from './commands/second-factor.js';
import { readIdentitySettings } from './identity.settings.js';
import { inTenantOf, packOf, type IdentityOptions, type RequestMeta } from './identity.service.js';

/** std-7.2.3: per-IP limit on login and factor attempts, stricter than the global one. */
export const LOGIN_RATE_LIMIT = { max: 20, timeWindow: '1 minute' } as const;

const ALL_STATES: readonly SessionState[] = [
  'password_change_required',
  'mfa_enrolment_required',
  'mfa_required',
];
const ENROLMENT_STATES: readonly SessionState[] = ['mfa_enrolment_required'];

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

export interface IdentityRouteOptions extends IdentityOptions {
  /** Links a new account to its person (organization module). */
  readonly linkPerson?: PersonLinker;
}

function meta(request: FastifyRequest): RequestMeta {
  return { ip: clientIp(request), userAgent: userAgentOf(request) };
}

export function identityRoutes(
  ctx: AppContext,
  options: IdentityRouteOptions = {},
): FastifyPluginCallbackZod {
  const now = options.now ?? (() => new Date());
  const rpOf = (request: FastifyRequest): RelyingParty =>
    relyingPartyOf(expectedOrigin(ctx.config, request));
  const rotated = (request: FastifyRequest, reply: FastifyReply, r: RotatedSession) => {
    setSessionCookie(request, reply, r.token);
    return r.session;
  };

  return (app, _opts, done) => {
    // ── Public: login page and login ─────────────────────────────────────────
    app.get(
      '/api/auth/login-info',
      {
        config: { public: true },
        schema: {
          tags: ['identity'],
          summary: 'Login banner and password limits',
          response: { 200: loginInfoSchema, 404: errorBodySchema },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx, request);
        const settings = await inTenantOf(ctx, tenant, async (tx) =>
          readIdentitySettings(tx, await packOf(ctx, tenant)),
        );
        return {
          banner: settings.banner,
          password: {
            minLength: settings.password.minLength,
            maxLength: settings.password.maxLength,
          },
        };
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { public: true, rateLimit: LOGIN_RATE_LIMIT },
        schema: {
          tags: ['identity'],
          summary: 'Log in with login name and password (first step)',
          body: loginInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        assertTransportAllowed(ctx.config, request);
        assertPreSessionRequest(ctx.config, request);
        const tenant = await requestTenant(ctx, request);
        const result = await loginWithPassword(
          ctx,
          tenant,
          { ...request.body, previousToken: sessionTokenOf(request) },
          meta(request),
          now(),
        );
        if (!result.ok) {
          throw new AppError(
            result.code,
            result.code === 'invalid_credentials'
              ? 'The login name or password is wrong, or the account cannot log in now.'
              : 'The temporary password has expired: ask an administrator for a new one.',
          );
        }
        setSessionCookie(request, reply, result.token);
        return result.session;
      },
    );

    // ── Own session ──────────────────────────────────────────────────────────
    app.get(
      '/api/auth/session',
      {
        config: { permission: 'session:self', allowSessionStates: ALL_STATES },
        schema: {
          tags: ['identity'],
          summary: "The caller's session",
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request) =>
        currentSessionInfo(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          now(),
          options,
        ),
    );

    app.post(
      '/api/auth/logout',
      {
        config: { permission: 'session:self', allowSessionStates: ALL_STATES },
        schema: { tags: ['identity'], summary: 'Log out', response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await logout(ctx, await requestTenant(ctx, request), callerOf(request), now());
        clearSessionCookie(request, reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/sessions',
      {
        config: { permission: 'session:self' },
        schema: {
          tags: ['identity'],
          summary: "The caller's live sessions",
          response: { 200: ownSessionListSchema, ...errors },
        },
      },
      async (request) => ({
        sessions: await listOwnSessions(ctx, await requestTenant(ctx, request), callerOf(request)),
      }),
    );

    app.delete(
      '/api/auth/sessions/:sessionId',
      {
        config: { permission: 'session:self' },
        schema: {
          tags: ['identity'],
          summary: 'End one of the caller’s sessions',
          params: sessionIdParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        await revokeOwnSession(
          ctx,
          await requestTenant(ctx, request),
          caller,
          request.params.sessionId,
          now(),
        );
        if (request.params.sessionId === caller.sessionId) clearSessionCookie(request, reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: {
          permission: 'session:self',
          allowSessionStates: ['password_change_required'],
          rateLimit: LOGIN_RATE_LIMIT,
        },
        schema: {
          tags: ['identity'],
          summary: 'Change the password (allowed while a temporary password is held)',
          body: changePasswordInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await changePassword(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          request.body,
          meta(request),
          now(),
          options,
        );
        if (!result) throw new AppError('invalid_credentials', 'The current password is wrong.');
        return rotated(request, reply, result);
      },
    );

    // ── Second step of login (std-5.4.2) ─────────────────────────────────────
    const verify = async (
      request: FastifyRequest,
      reply: FastifyReply,
      input: FactorInput,
      purpose: 'login' | 'step_up',
    ): Promise<SessionInfo> => {
      const result = await verifySecondFactor(
        ctx,
        await requestTenant(ctx, request),
        callerOf(request),
        input,
        purpose,
        rpOf(request),
        meta(request),
        now(),
        options,
      );
      if (!result) throw new AppError('mfa_failed', 'The second factor was not accepted.');
      return rotated(request, reply, result);
    };
    const mfaStep = {
      permission: 'session:self',
      allowSessionStates: ['mfa_required'],
      rateLimit: LOGIN_RATE_LIMIT,
    } as const;

    app.post(
      '/api/auth/mfa/totp',
      {
        config: mfaStep,
        schema: {
          tags: ['identity'],
          summary: 'Second step: an authenticator app code',
          body: totpVerifyInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) =>
        verify(request, reply, { method: 'totp', code: request.body.code }, 'login'),
    );

    app.post(
      '/api/auth/mfa/recovery-code',
      {
        config: mfaStep,
        schema: {
          tags: ['identity'],
          summary: 'Second step: a recovery code (single use)',
          body: recoveryCodeInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) =>
        verify(request, reply, { method: 'recovery_code', code: request.body.code }, 'login'),
    );

    // The same challenge serves the login's second step and a step-up.
    const webauthnOptions = async (request: FastifyRequest) =>
      (await webauthnLoginOptions(
        ctx,
        await requestTenant(ctx, request),
        callerOf(request),
        rpOf(request),
        now(),
      )) as unknown as Record<string, unknown>;

    app.post(
      '/api/auth/mfa/webauthn/options',
      {
        config: { permission: 'session:self', allowSessionStates: ['mfa_required'] },
        schema: {
          tags: ['identity'],
          summary: 'Second step: WebAuthn request options (challenge)',
          response: { 200: webauthnOptionsSchema, ...errors },
        },
      },
      webauthnOptions,
    );

    app.post(
      '/api/auth/mfa/webauthn',
      {
        config: mfaStep,
        schema: {
          tags: ['identity'],
          summary: 'Second step: a security key or passkey',
          body: webauthnVerifyInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) =>
        verify(
          request,
          reply,
          {
            method: 'webauthn',
            response: request.body.response as unknown as AuthenticationResponseJSON,
          },
          'login',
        ),
    );

    // ── Step-up (std-7.2.5) ──────────────────────────────────────────────────
    app.post(
      '/api/auth/step-up/webauthn/options',
      {
        config: { permission: 'session:self' },
        schema: {
          tags: ['identity'],
          summary: 'Step-up: WebAuthn request options (challenge)',
          response: { 200: webauthnOptionsSchema, ...errors },
        },
      },
      webauthnOptions,
    );

    app.post(
      '/api/auth/step-up',
      {
        config: { permission: 'session:self', rateLimit: LOGIN_RATE_LIMIT },
        schema: {
          tags: ['identity'],
          summary: 'Re-verify a factor: the session is elevated for auth.elevation.duration',
          body: stepUpInputSchema,
          response: { 200: sessionInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const input: FactorInput =
          body.method === 'webauthn'
            ? {
                method: 'webauthn',
                response: body.response as unknown as AuthenticationResponseJSON,
              }
            : body;
        return verify(request, reply, input, 'step_up');
      },
    );

    // ── Enrolment and own factors ────────────────────────────────────────────
    const enrolment = { permission: 'session:self', allowSessionStates: ENROLMENT_STATES } as const;

    app.get(
      '/api/auth/mfa',
      {
        config: enrolment,
        schema: {
          tags: ['identity'],
          summary: "The caller's second factors",
          response: { 200: mfaFactorsSchema, ...errors },
        },
      },
      async (request) => listOwnFactors(ctx, await requestTenant(ctx, request), callerOf(request)),
    );

    app.post(
      '/api/auth/mfa/totp/enrolment',
      {
        config: enrolment,
        schema: {
          tags: ['identity'],
          summary: 'Start authenticator-app enrolment (secret shown once)',
          response: { 200: totpEnrolmentSchema, ...errors },
        },
      },
      async (request) =>
        startTotpEnrolment(ctx, await requestTenant(ctx, request), callerOf(request), now()),
    );

    app.post(
      '/api/auth/mfa/totp/enrolment/confirm',
      {
        config: { ...enrolment, rateLimit: LOGIN_RATE_LIMIT },
        schema: {
          tags: ['identity'],
          summary: 'Confirm authenticator-app enrolment with a code',
          body: totpVerifyInputSchema,
          response: { 200: mfaEnrolledResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const tenant = await requestTenant(ctx, request);
        const caller = callerOf(request);
        const result = await confirmTotpEnrolment(
          ctx,
          tenant,
          caller,
          request.body.code,
          meta(request),
          now(),
          options,
        );
        if (!result) throw new AppError('mfa_failed', 'The code does not match.');
        if (result.rotated) setSessionCookie(request, reply, result.rotated.token);
        return enrolledResponse(
          result,
          result.rotated?.session ??
            (await currentSessionInfo(ctx, tenant, caller, now(), options)),
        );
      },
    );

    app.post(
      '/api/auth/mfa/webauthn/registration/options',
      {
        config: enrolment,
        schema: {
          tags: ['identity'],
          summary: 'WebAuthn creation options (challenge)',
          response: { 200: webauthnOptionsSchema, ...errors },
        },
      },
      async (request) =>
        (await webauthnEnrolmentOptions(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          rpOf(request),
          now(),
        )) as unknown as Record<string, unknown>,
    );

    app.post(
      '/api/auth/mfa/webauthn/registration',
      {
        config: enrolment,
        schema: {
          tags: ['identity'],
          summary: 'Register a security key or passkey',
          body: webauthnRegisterInputSchema,
          response: { 200: mfaEnrolledResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const tenant = await requestTenant(ctx, request);
        const caller = callerOf(request);
        const result = await registerWebauthn(
          ctx,
          tenant,
          caller,
          {
            response: request.body.response as unknown as RegistrationResponseJSON,
            name: request.body.name,
          },
          rpOf(request),
          meta(request),
          now(),
          options,
        );
        if (!result) throw new AppError('mfa_failed', 'The security key was not accepted.');
        if (result.rotated) setSessionCookie(request, reply, result.rotated.token);
        return enrolledResponse(
          result,
          result.rotated?.session ??
            (await currentSessionInfo(ctx, tenant, caller, now(), options)),
        );
      },
    );

    const privilegedSelf = { permission: 'session:self', privileged: true } as const;

    app.delete(
      '/api/auth/mfa/totp',
      {
        config: privilegedSelf,
        schema: {
          tags: ['identity'],
          summary: 'Remove the authenticator app (step-up required)',
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeOwnFactor(ctx, await requestTenant(ctx, request), callerOf(request), {
          method: 'totp',
        });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/auth/mfa/webauthn/:credentialId',
      {
        config: privilegedSelf,
        schema: {
          tags: ['identity'],
          summary: 'Remove a security key or passkey (step-up required)',
          params: webauthnCredentialParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeOwnFactor(ctx, await requestTenant(ctx, request), callerOf(request), {
          method: 'webauthn',
          id: request.params.credentialId,
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/mfa/recovery-codes',
      {
        config: privilegedSelf,
        schema: {
          tags: ['identity'],
          summary: 'Issue new recovery codes (step-up required; shown once)',
          response: { 200: recoveryCodesResponseSchema, ...errors },
        },
      },
      async (request) => ({
        recoveryCodes: await regenerateRecoveryCodes(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          now(),
        ),
      }),
    );

    // ── Account administration (tenant_admin; privileged, std-7.2.5) ─────────
    app.get(
      '/api/identity/accounts',
      {
        config: { permission: 'account:read' },
        schema: {
          tags: ['identity'],
          summary: 'Accounts with lock and MFA state',
          response: { 200: accountListSchema, ...errors },
        },
      },
      async (request) => ({
        accounts: await listAccounts(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          now(),
        ),
      }),
    );

    const adminWrite = { permission: 'account:manage', privileged: true } as const;

    app.post(
      '/api/identity/accounts',
      {
        config: adminWrite,
        schema: {
          tags: ['identity'],
          summary: 'Create an account (temporary password shown once)',
          body: createAccountInputSchema,
          response: { 200: temporaryPasswordResponseSchema, ...errors },
        },
      },
      async (request) =>
        createAccount(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          request.body,
          now(),
          options.linkPerson,
        ),
    );

    app.post(
      '/api/identity/accounts/:accountId/reset-password',
      {
        config: adminWrite,
        schema: {
          tags: ['identity'],
          summary: 'Reset to a temporary password (shown once); sessions end',
          params: accountIdParamsSchema,
          response: { 200: temporaryPasswordResponseSchema, ...errors },
        },
      },
      async (request) =>
        resetPassword(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          request.params.accountId,
          now(),
        ),
    );

    const accountAction = (
      path: string,
      summary: string,
      run: (
        tenant: Awaited<ReturnType<typeof requestTenant>>,
        request: FastifyRequest<{ Params: { accountId: string } }>,
      ) => Promise<z.infer<typeof accountResponseSchema>['account']>,
    ) => {
      app.post(
        `/api/identity/accounts/:accountId/${path}`,
        {
          config: adminWrite,
          schema: {
            tags: ['identity'],
            summary,
            params: accountIdParamsSchema,
            response: { 200: accountResponseSchema, ...errors },
          },
        },
        async (request) => ({ account: await run(await requestTenant(ctx, request), request) }),
      );
    };
    accountAction('unlock', 'Lift a lockout (std-7.2.3)', (tenant, request) =>
      unlockAccount(ctx, tenant, callerOf(request), request.params.accountId, now()),
    );
    accountAction('enable', 'Enable a disabled account', (tenant, request) =>
      enableAccount(ctx, tenant, callerOf(request), request.params.accountId, now()),
    );
    accountAction(
      'reset-mfa',
      'Remove every factor: MFA enrolment at next login',
      (tenant, request) =>
        resetMfa(ctx, tenant, callerOf(request), request.params.accountId, now()),
    );

    app.post(
      '/api/identity/accounts/:accountId/disable',
      {
        config: adminWrite,
        schema: {
          tags: ['identity'],
          summary: 'Disable an account; its sessions end at once',
          params: accountIdParamsSchema,
          body: disableAccountInputSchema,
          response: { 200: accountResponseSchema, ...errors },
        },
      },
      async (request) => ({
        account: await disableAccount(
          ctx,
          await requestTenant(ctx, request),
          callerOf(request),
          request.params.accountId,
          request.body.reason,
          now(),
        ),
      }),
    );

    done();
  };
}

import type { SessionInfo } from '@mamori/contracts';
import { Modal, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { sessionBridge } from '../../api/client.js';
import { applySession, authenticateWebauthn, identityKeys, stepUp } from './api.js';
import { SecondFactorForm } from './second-factor-form.js';

interface StepUpContextValue {
  /**
   * Asks the user to present a factor again (std-7.2.5). Resolves true once the session is
   * elevated, false when the user cancelled. Concurrent requests share one dialog.
   */
  readonly requestStepUp: () => Promise<boolean>;
}

const StepUpContext = createContext<StepUpContextValue | null>(null);

/**
 * The step-up dialog (std-7.2.5). Any API call answering `step_up_required` opens it (through the
 * API client's session bridge) and is sent again once the user has re-presented a factor; pages
 * can also ask for it ahead of time with `useStepUp().requestStepUp()`.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const pending = useRef<{ promise: Promise<boolean>; resolve: (ok: boolean) => void } | null>(
    null,
  );

  const requestStepUp = useCallback(() => {
    if (pending.current !== null) return pending.current.promise;
    let resolve: (ok: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((r) => {
      resolve = r;
    });
    pending.current = { promise, resolve };
    setIsOpen(true);
    return promise;
  }, []);

  const finish = useCallback((ok: boolean) => {
    const current = pending.current;
    pending.current = null;
    setIsOpen(false);
    current?.resolve(ok);
  }, []);

  useEffect(() => {
    sessionBridge.onStepUpRequired = requestStepUp;
    return () => {
      sessionBridge.onStepUpRequired = null;
      pending.current?.resolve(false);
      pending.current = null;
    };
  }, [requestStepUp]);

  const session = queryClient.getQueryData<SessionInfo | null>(identityKeys.session) ?? null;
  const factors = (session?.availableFactors ?? ['totp']).filter((f) => f !== 'recovery_code');
  const value = useMemo(() => ({ requestStepUp }), [requestStepUp]);

  return (
    <StepUpContext value={value}>
      {children}
      <Modal
        opened={isOpen}
        onClose={() => {
          finish(false);
        }}
        title={t('identity.stepUp.title')}
        closeButtonProps={{ 'aria-label': t('identity.stepUp.cancel') }}
        // Above any dialog whose action asked for the step-up (Mantine modals sit at 200).
        zIndex={300}
        centered
      >
        <Text size="sm" mb="md">
          {t('identity.stepUp.body')}
        </Text>
        {isOpen && (
          <SecondFactorForm
            factors={factors.length > 0 ? factors : ['totp']}
            handlers={{
              totp: (code) => stepUp({ method: 'totp', code }),
              webauthn: async () =>
                stepUp({ method: 'webauthn', response: await authenticateWebauthn('step_up') }),
            }}
            onVerified={(elevated) => {
              applySession(queryClient, elevated);
              finish(true);
            }}
          />
        )}
      </Modal>
    </StepUpContext>
  );
}

/** The step-up dialog of the app (see StepUpProvider). */
export function useStepUp(): StepUpContextValue {
  const value = useContext(StepUpContext);
  if (value === null) throw new Error('useStepUp needs a StepUpProvider');
  return value;
}

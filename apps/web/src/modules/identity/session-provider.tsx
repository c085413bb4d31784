import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { sessionBridge } from '../../api/client.js';
import { forgetSession, identityKeys } from './api.js';

/**
 * Connects the API client to the login session: a 401 from any call (session ended, timed out or
 * revoked) forgets the session, so the routes send the user to the login page; a login-step 403
 * (e.g. an administrator forced MFA re-enrolment) reloads the session, which routes to that step.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    sessionBridge.onSessionProblem = (error) => {
      if (error.status === 401) {
        forgetSession(queryClient, error.code === 'session_expired' ? 'expired' : 'lost');
      } else void queryClient.invalidateQueries({ queryKey: identityKeys.session });
    };
    return () => {
      sessionBridge.onSessionProblem = null;
    };
  }, [queryClient]);
  return children;
}

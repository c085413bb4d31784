import { Button, type ButtonProps } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { forgetSession, logout } from './api.js';
import { loginRoutes } from './session-routes.js';

/** Ends the session on the server and forgets everything of it in the browser. */
export function LogoutButton(props: ButtonProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: logout,
    // Even when the server cannot be reached, this browser forgets the session.
    onSettled: () => {
      forgetSession(queryClient, 'logout');
      void navigate(loginRoutes.login, { replace: true });
    },
  });
  return (
    <Button
      {...props}
      loading={mutation.isPending}
      onClick={() => {
        mutation.mutate();
      }}
    >
      {t('identity.logout')}
    </Button>
  );
}

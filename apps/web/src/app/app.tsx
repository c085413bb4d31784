import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { SessionProvider } from '../modules/identity/session-provider.js';
import { StepUpProvider } from '../modules/identity/step-up-provider.js';
import { createQueryClient } from './query-client.js';
import { createAppRouter } from './router.js';
import { cssVariablesResolver, theme } from './theme.js';

export function App({ i18n }: { i18n: I18n }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider
        theme={theme}
        cssVariablesResolver={cssVariablesResolver}
        forceColorScheme="light"
      >
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <StepUpProvider>
              <RouterProvider router={router} />
            </StepUpProvider>
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}

// The console's entry: theme, server-state cache, router.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './console.css';
import { Anchor, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { ApiError } from './api/client';

// Shades dark enough for WCAG AA contrast of white text on filled buttons and badges.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: 'sm',
  // Links are told apart from text by more than their colour.
  components: { Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }) },
});
const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // An answer in words (4xx) will not change by asking again.
      retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queries}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createWecomClient } from '@wecom-kit/client';
import { WecomProvider } from '@wecom-kit/react-hooks';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// No corpSecret in the browser: the client calls the backend's proxy, which holds the secret
// and adds the access token.
const wecom = createWecomClient({ baseUrl: `${window.location.origin}/api/wecom` });
// The hooks keep WeCom reads fresh for a minute (WECOM_STALE_TIME), within WeCom's per-minute limits.
const queryClient = new QueryClient();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <WecomProvider client={wecom}>
        <App />
      </WecomProvider>
    </QueryClientProvider>
  </StrictMode>,
);

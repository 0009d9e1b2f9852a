import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { registerSW } from 'virtual:pwa-register';
import { bridge, useApp } from './store';
import { warmIntl } from './i18n';

// Start the analysis worker while the browser is idle, so that dropping a file does not pay for
// creating it on the main thread (a long task of tens of milliseconds on slow machines).
const warm = () => {
  void bridge.api;
  warmIntl();
};
if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 });
else setTimeout(warm, 500);

// Offline support: precached app shell, worker and samples. A new version waits for the user.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const update = registerSW({
    onNeedRefresh() {
      useApp.setState({ updateReady: () => void update(true) });
    },
  });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

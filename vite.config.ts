/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Content Security Policy for the built app: everything from our own origin, nothing else.
 * connect-src 'self' makes "nothing leaves your machine" a browser-enforced rule. Added at build
 * time only: the dev server needs an inline script for React refresh.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function csp(): Plugin {
  return {
    name: 'pcap-doctor-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * The same policy as HTTP headers. The meta tag above governs the page only: a worker takes its
 * policy from the headers of its own script (the analysis worker holds every packet), and
 * frame-ancestors (no framing) works only as a header. Keep README "Security headers" in step.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * Sends {@link SECURITY_HEADERS} on every response of `vite preview` (what `npm start` serves):
 * page, worker, service worker, assets, and also 304s, 404s and the SPA fallback, which
 * `preview.headers` (applied only when a file is sent with 200) would miss. Registered directly in
 * configurePreviewServer, so it runs before Vite's static and HTML middlewares. Not on the dev
 * server: React refresh needs an inline script.
 */
function securityHeaders(): Plugin {
  return {
    name: 'pcap-doctor-security-headers',
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    csp(),
    securityHeaders(),
    VitePWA({
      // Never reload silently: a loaded capture would be lost. The app shows a prompt.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/*.png', 'samples/*.pcap'],
      manifest: {
        name: 'pcap-doctor',
        short_name: 'pcap-doctor',
        description:
          'Drop a packet capture, get a diagnosis: checksums at every tunnel depth, SYN retry ladders, unanswered DNS. Runs entirely in your browser.',
        theme_color: '#1f5fbf',
        background_color: '#f6f7f9',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
        // Launching the installed app on a capture analyses it (launchQueue in the app).
        file_handlers: [
          {
            action: '/',
            accept: {
              'application/vnd.tcpdump.pcap': ['.pcap', '.cap'],
              'application/x-pcapng': ['.pcapng'],
              'application/gzip': ['.gz'],
            },
          },
        ],
        launch_handler: { client_mode: 'focus-existing' },
      } as Record<string, unknown>,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,pcap,webmanifest}'],
        navigateFallback: '/index.html',
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1200 },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1' },
  server: { port: 5173, host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'workers/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web UI lives in src/web and is built into dist/web, which the API server serves with an SPA fallback.
// In development `vite` serves the UI and forwards /api to a server started separately on port 3000.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
    },
  },
});

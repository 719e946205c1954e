import { ConfigError, loadConfig } from './config.js';
import { closeOnSignals, startServer } from './server.js';

try {
  const { app } = await startServer(loadConfig());
  closeOnSignals(app);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Language Tutor failed to start:', err);
  }
  process.exit(1);
}

import { parseArgs } from 'node:util';
import { buildServices } from '../server/app.js';
import { ConfigError, loadConfig } from '../server/config.js';

const USAGE = `Usage: tutor <command> [options]

Commands:
  migrate                                   bring the database (DATABASE_URL) to the latest schema
  create-admin --email <e> --password <p>   create an admin, or make an existing user admin with this password
`;

/** Runs one CLI command; answers the process exit code. Output goes to `out`/`err` so tests can read it. */
export async function runCli(
  argv: string[],
  /** The environment to configure from; the process's own when omitted. */
  env?: Record<string, string | undefined>,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const [command, ...rest] = argv;
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  if (command === 'migrate') {
    const services = await buildServices(config);
    await services.close();
    await services.database.close();
    out(`database at ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')} is up to date`);
    return 0;
  }
  if (command === 'create-admin') {
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, password: { type: 'string' } },
      strict: true,
    });
    if (!values.email || !values.password || values.password.length < 8) {
      err('create-admin needs --email and a --password of at least 8 characters');
      return 1;
    }
    const services = await buildServices(config);
    try {
      const { user, created } = await services.auth.createAdmin(values.email, values.password);
      out(created ? `created admin ${user.email}` : `${user.email} is now an admin with the new password`);
      return 0;
    } finally {
      await services.close();
      await services.database.close();
    }
  }
  err(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}

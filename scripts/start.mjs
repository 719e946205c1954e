// `npm start`: build what is missing, then run the server (SQLite at data/tutor.db unless DATABASE_URL says otherwise).
import { spawn } from 'node:child_process';
import './ensure-built.mjs';

const child = spawn(process.execPath, ['dist/server/main.js'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

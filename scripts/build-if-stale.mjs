// Builds lib/ and dist/web only when a source changed since the last build, so `npm start` starts in seconds
// when the build is current. The stamp is written after a build succeeds.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'lib/.build-stamp';
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const built = existsSync(STAMP) && existsSync('dist/web') ? statSync(STAMP).mtimeMs : 0;
if (INPUTS.some((p) => newest(p) > built)) {
  execSync('npm run --silent build', { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

// Builds lib/ and dist/web only when a source changed since the last build, so `npm start` starts in seconds
// when the build is current; with --lib it builds only lib/ (what the command-line tests run). `npm run
// build:node` marks lib/ built with lib/.lib-stamp; this script marks a full build with lib/.build-stamp.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const onlyLib = process.argv.includes('--lib');
const STAMP = onlyLib ? 'lib/.lib-stamp' : 'lib/.build-stamp';
const LIB_INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const INPUTS = onlyLib ? LIB_INPUTS : [...LIB_INPUTS, 'web', 'vite.config.ts'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const built = existsSync(STAMP) && (onlyLib || existsSync('dist/web')) ? statSync(STAMP).mtimeMs : 0;
if (INPUTS.some((p) => newest(p) > built)) {
  execSync(`npm run --silent ${onlyLib ? 'build:node' : 'build'}`, { stdio: 'inherit' });
  if (!onlyLib) writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

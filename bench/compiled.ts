/**
 * The benchmarks measure the compiled JavaScript in lib/, which is what `npm start` and the installed
 * command run (`npm run bench` rebuilds it first); tsx's transform of the sources is about 10 % slower.
 * Types come from the sources, which lib/ is compiled from.
 */
import { existsSync } from 'node:fs';

const lib = new URL('../lib/', import.meta.url);
if (!existsSync(new URL('cli/main.js', lib))) throw new Error('lib/ is missing: run `npm run build:node`');
const load = (path: string): Promise<unknown> => import(new URL(path, lib).href);

export const checkLib = (await load('check/index.js')) as typeof import('../src/check/index.ts');
export const custodyLib = (await load('custody/index.js')) as typeof import('../src/custody/index.ts');
export const ledgerLib = (await load('ledger/index.js')) as typeof import('../src/ledger/index.ts');
export const simLib = (await load('sim/index.js')) as typeof import('../src/sim/index.ts');
export const storeLib = (await load('store/index.js')) as typeof import('../src/store/index.ts');
export const traceLib = (await load('trace/index.js')) as typeof import('../src/trace/index.ts');
export const superviseLib = (await load('supervise/index.js')) as typeof import('../src/supervise/index.ts');

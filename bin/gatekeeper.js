#!/usr/bin/env -S node --max-semi-space-size=32
// The installed command: registers tsx so the TypeScript sources run as they are. A 32 MB young generation
// (as `npm start` uses) keeps the decoder's short-lived allocations out of slower garbage collections.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

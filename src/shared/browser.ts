/** What the pages use of the shared code: party kinds in Chinese. */
export { KIND_ZH } from './kinds.ts';

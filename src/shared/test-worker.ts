/** A worker for the pool's tests: doubles a number, or throws when asked to. */
import { serveBatches } from './worker-pool.ts';

serveBatches((p: { n: number; fail?: boolean }) => {
  if (p.fail) throw new Error('asked to fail');
  return p.n * 2;
});

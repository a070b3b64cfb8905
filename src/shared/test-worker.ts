/** A worker for the pool's tests: doubles a number, throws when asked to fail, exits when asked to die. */
import { serveBatches } from './worker-pool.ts';

serveBatches((p: { n: number; fail?: boolean; die?: boolean }) => {
  if (p.die) process.exit(3);
  if (p.fail) throw new RangeError('asked to fail');
  return p.n * 2;
});

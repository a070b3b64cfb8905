/** The simulator: synthetic worlds built and used through the real custody path (demo, trace scenarios, benchmarks). */
export { releaseWorld, type ReleaseCounts } from './releases.ts';
export { buildSimWorld, SMALL_WORLD, type SimOrder, type SimWorld, type WorldSpec } from './world.ts';

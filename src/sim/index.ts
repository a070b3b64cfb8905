/** The simulator: synthetic worlds built and used through the real custody path (demo, trace scenarios, benchmarks). */
export { releaseWorld, type ReleaseCounts } from './releases.ts';
export { buildSimWorld, placeOrders, SMALL_WORLD, type SimOrder, type SimWorld, type WorldSpec } from './world.ts';
export { makeDump, releaseToHandlers, type DumpSpec } from './leaks.ts';
export { runScenario, SCENARIOS, stageScenario, TRACE_WORLD, type ScenarioName, type ScenarioResult } from './scenarios.ts';
export { runStory, type StoryProgress, type StoryResult } from './story.ts';
export {
  INSIDER_WORLD,
  INSIDERS,
  needsUntil,
  reportSignals,
  simulateInsider,
  type InsiderKind,
  type InsiderRun,
  type InsiderSpec,
} from './insiders.ts';

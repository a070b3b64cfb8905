/**
 * Which module adds which top-level commands. The CLI loads only the module of the command it runs (a
 * batch check should not pay for the store, the PDF writer and the simulator); help loads them all.
 */
import type { Command } from 'commander';

type Adder = (program: Command) => void;

/** Top-level command names and the loader of the module that adds them, in help order. */
export const COMMAND_MODULES: ReadonlyArray<readonly [readonly string[], () => Promise<Adder>]> = [
  [['check'], async () => (await import('./check-command.ts')).addCheckCommand],
  [['serve'], async () => (await import('./serve-command.ts')).addServeCommand],
  [['keys', 'parties', 'orders'], async () => (await import('./custody-commands.ts')).addCustodyCommands],
  [['ledger'], async () => (await import('./ledger-commands.ts')).addLedgerCommands],
  [['witness'], async () => (await import('./witness-command.ts')).addWitnessCommand],
  [['demo'], async () => (await import('./demo-command.ts')).addDemoCommand],
  [['sim'], async () => (await import('./sim-command.ts')).addSimCommand],
  [['trace'], async () => (await import('./trace-command.ts')).addTraceCommand],
  [['channels', 'contacts', 'verify', 'reputation'], async () => (await import('./verify-commands.ts')).addVerifyCommands],
  [['case'], async () => (await import('./case-commands.ts')).addCaseCommands],
  [['canaries'], async () => (await import('./canary-commands.ts')).addCanaryCommands],
];

/** Adds the commands `argv` needs: only the named command's module, or every module for help and unknown names. */
export async function addCommands(program: Command, argv: readonly string[]): Promise<void> {
  const name = argv.find((a) => !a.startsWith('-'));
  const named = COMMAND_MODULES.filter(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of named.length > 0 ? named : COMMAND_MODULES) (await load())(program);
}

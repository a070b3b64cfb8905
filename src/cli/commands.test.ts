import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addCommands, COMMAND_MODULES } from './commands.ts';

describe('lazy command table', () => {
  it('names exactly the top-level commands each module adds', async () => {
    for (const [names, load] of COMMAND_MODULES) {
      const p = new Command();
      (await load())(p);
      expect(p.commands.map((c) => c.name())).toEqual(names);
    }
  });

  it('loads only the named command, and everything for help', async () => {
    const one = new Command();
    await addCommands(one, ['check', '--jsonl']);
    expect(one.commands.map((c) => c.name())).toEqual(['check']);
    const all = new Command();
    await addCommands(all, ['--help']);
    expect(all.commands.map((c) => c.name())).toEqual(COMMAND_MODULES.flatMap(([n]) => n));
  });
});

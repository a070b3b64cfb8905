import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointText,
  cosignatureTime,
  leafHash,
  MerkleTree,
  parseCosignerKey,
  parseVerifierKey,
  signNote,
  verifierKey,
  type Verifier,
} from '../ledger/index.ts';
import { addCheckpoint, type LogState } from './add-checkpoint.ts';
import { createWitnessKey, loadWitnessKey, logState, withState } from './state.ts';

const ORIGIN = 'gatekeeper.test/ledger';
const log = { name: ORIGIN, ...generateKeyPairSync('ed25519') };
const logs = new Map<string, Verifier[]>([[ORIGIN, [parseVerifierKey(verifierKey(ORIGIN, log.publicKey))]]]);
const dir = mkdtempSync(join(tmpdir(), 'gk-witness-'));
const vkey = createWitnessKey(join(dir, 'w.key'), 'witness.test/w1');
const signer = loadWitnessKey(join(dir, 'w.key'));

/** A log of `n` leaves whose leaf `tamper` (if any) was rewritten. */
function tree(n: number, tamper = -1): MerkleTree {
  const t = new MerkleTree();
  for (let i = 0; i < n; i++) t.append(leafHash(Buffer.from(i === tamper ? `forged ${i}` : `entry ${i}`)));
  return t;
}
const note = (t: MerkleTree, size = t.size): string => signNote(checkpointText({ origin: ORIGIN, size, root: t.root(size) }), log);
const request = (t: MerkleTree, old: number, size = t.size): string =>
  `old ${old}\n${t
    .consistencyProof(old, size)
    .map((h) => `${h.toString('base64')}\n`)
    .join('')}\n${note(t, size)}`;
const state = (t: MerkleTree, size: number): LogState => ({ size, root: t.root(size).toString('base64'), note: note(t, size) });

describe('a witness adding a checkpoint (C2SP tlog-witness)', () => {
  it('cosigns a first checkpoint and then one consistent with it; the cosignature verifies under its key', () => {
    const t = tree(20);
    const first = addCheckpoint(request(t, 0, 8), logs, () => null, signer, 1_800_000_000);
    expect(first).toMatchObject({ status: 200, state: { size: 8 } });
    if (first.status !== 200) return;
    expect(first.body).toMatch(/^\u2014 witness\.test\/w1 [A-Za-z0-9+/]{102}==\n$/);
    expect(cosignatureTime(first.state.note, parseCosignerKey(vkey))).toBe(1_800_000_000);
    const second = addCheckpoint(request(t, 8), logs, () => first.state, signer, 1_800_000_060);
    expect(second).toMatchObject({ status: 200, state: { size: 20 }, message: `cosigned ${ORIGIN} at size 20 (consistent with size 8)` });
  });

  it('refuses a rewritten history, a rolled-back log, a wrong old size, a foreign log and a bad signature', () => {
    const t = tree(20);
    const seen = (): LogState => state(t, 12);
    // Entry 5 rewritten and the tree re-signed: no proof from the witness's size 12 can hold.
    const forged = tree(20, 5);
    const r = addCheckpoint(request(forged, 12), logs, seen, signer, 1);
    expect(r.status).toBe(422);
    expect(r.message).toMatch(
      /^refused: the checkpoint of size 20 is not consistent with the checkpoint of size 12 this witness cosigned .*history was rewritten$/,
    );
    expect(addCheckpoint(request(forged, 12, 12), logs, seen, signer, 1).status).toBe(422);
    // The honest tree's proof with the forged checkpoint's root does not hold either.
    const mixed = request(t, 12).replace(/\n\n[\s\S]*$/, `\n\n${note(forged)}`);
    expect(addCheckpoint(mixed, logs, seen, signer, 1).status).toBe(422);
    const back = addCheckpoint(`old 12\n\n${note(t, 10)}`, logs, seen, signer, 1);
    expect(back.status).toBe(400);
    expect(back.message).toMatch(/fewer than the 12 this witness already cosigned: the log was truncated/);
    expect(addCheckpoint(request(t, 8), logs, seen, signer, 1)).toMatchObject({ status: 409, body: '12\n' });
    expect(addCheckpoint(request(t, 0), logs, seen, signer, 1)).toMatchObject({ status: 409, body: '12\n' });
    const other = { name: 'other.test/log', ...generateKeyPairSync('ed25519') };
    const foreign = `old 0\n\n${signNote(checkpointText({ origin: other.name, size: 1, root: t.root(1) }), other)}`;
    expect(addCheckpoint(foreign, logs, () => null, signer, 1).status).toBe(404);
    const stranger = { ...other, name: ORIGIN };
    expect(addCheckpoint(`old 0\n\n${note(t).split('\u2014')[0] ?? ''}`, logs, () => null, signer, 1).status).toBe(403);
    const unsigned = `old 0\n\n${signNote(checkpointText({ origin: ORIGIN, size: 20, root: t.root() }), stranger)}`;
    expect(addCheckpoint(unsigned, logs, () => null, signer, 1).status).toBe(403);
    const tampered = request(t, 0).replace('\n20\n', '\n21\n');
    expect(addCheckpoint(tampered, logs, () => null, signer, 1)).toMatchObject({
      status: 403,
      message: 'the log signature on the checkpoint does not verify',
    });
    expect(addCheckpoint('old 01\n\n', logs, () => null, signer, 1).status).toBe(400);
    expect(addCheckpoint(`old 0\nAAAA\n\n${note(t)}`, logs, () => null, signer, 1).status).toBe(400);
    expect(addCheckpoint(`old 0\n${'x'.repeat(70_000)}`, logs, () => null, signer, 1).status).toBe(400);
  });

  it('keeps its state in a file, under a lock, and does not roll back', () => {
    const file = join(dir, 'state.json');
    const t = tree(30);
    const add = (req: string): number =>
      withState(file, (s) => {
        const r = addCheckpoint(req, logs, (o) => logState(s, o), signer, 5);
        return r.status === 200 ? { state: { logs: { ...s.logs, [ORIGIN]: r.state } }, out: r.status } : { out: r.status };
      });
    expect(add(request(t, 0, 10))).toBe(200);
    expect(add(request(t, 10, 30))).toBe(200);
    expect(add(request(t, 10, 20))).toBe(409);
    writeFileSync(`${file}.lock`, '');
    expect(() => add(request(t, 30))).toThrow(/another witness run holds the state/);
  });
});

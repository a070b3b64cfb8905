import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText } from './checkpoint.ts';
import { cosign, cosignatureTime, cosignerKey, parseCosignerKey, splitNote, withSignatureLines } from './cosignature.ts';
import { openNote, parseVerifierKey, rawPublicKey, signNote, verifierKey } from './note.ts';

const log = { name: 'gatekeeper.test/ledger', ...generateKeyPairSync('ed25519') };
const w = { name: 'witness.test/w1', ...generateKeyPairSync('ed25519') };
const body = checkpointText({ origin: log.name, size: 7, root: Buffer.alloc(32, 3) });
const note = signNote(body, log);

describe('C2SP tlog-cosignature/v1 (Ed25519)', () => {
  it('signs "cosignature/v1", the time line and the checkpoint body, under key ID SHA-256(name, 0x0A, 0x04, key)[:4]', () => {
    const line = cosign(body, w, 1_679_315_147);
    const m = /^\u2014 witness\.test\/w1 ([A-Za-z0-9+/=]+)\n$/.exec(line);
    const sig = Buffer.from(m?.[1] ?? '', 'base64');
    expect(sig).toHaveLength(4 + 8 + 64);
    const raw = rawPublicKey(w.publicKey);
    const id = createHash('sha256')
      .update(Buffer.concat([Buffer.from('witness.test/w1\n'), Buffer.from([4]), raw]))
      .digest()
      .subarray(0, 4);
    expect(sig.subarray(0, 4)).toEqual(id);
    expect(sig.readBigUInt64BE(4)).toBe(1_679_315_147n);
    expect(verify(null, Buffer.from(`cosignature/v1\ntime 1679315147\n${body}`), w.publicKey, sig.subarray(12))).toBe(true);
    const vkey = cosignerKey(w.name, w.publicKey);
    expect(vkey).toBe(`witness.test/w1+${id.toString('hex')}+${Buffer.concat([Buffer.from([4]), raw]).toString('base64')}`);
    expect(parseCosignerKey(vkey).id).toEqual(id);
    expect(() => parseCosignerKey(verifierKey(w.name, w.publicKey))).toThrow('type 0x04');
  });

  it('rides on the checkpoint as one more signature line that log-key verifiers skip', () => {
    const cosigned = withSignatureLines(note, [cosign(body, w, 1000).trimEnd()]);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(openNote(cosigned, parseVerifierKey(verifierKey(log.name, log.publicKey)))).toBe(body);
    // Every line has the signed-note shape Go's note.Open parses: a dash, a name without spaces or "+", base64 of at least 5 bytes.
    for (const l of splitNote(cosigned).lines) {
      const [dash, name, sig] = l.split(' ');
      expect([dash, /^[^\s+]+$/.test(name ?? ''), Buffer.from(sig ?? '', 'base64').length >= 5]).toEqual(['\u2014', true, true]);
      expect(Buffer.from(sig ?? '', 'base64').toString('base64')).toBe(sig);
    }
    const key = parseCosignerKey(cosignerKey(w.name, w.publicKey));
    expect(cosignatureTime(cosigned, key)).toBe(1000);
    expect(cosignatureTime(note, key)).toBeNull();
    // A newer cosignature from the same key replaces the older one.
    const later = withSignatureLines(cosigned, [cosign(body, w, 2000).trimEnd()]);
    expect(splitNote(later).lines).toHaveLength(2);
    expect(cosignatureTime(later, key)).toBe(2000);
  });

  it('rejects a cosignature moved onto another checkpoint or with its time changed', () => {
    const key = parseCosignerKey(cosignerKey(w.name, w.publicKey));
    const line = cosign(body, w, 1000).trimEnd();
    const other = signNote(checkpointText({ origin: log.name, size: 8, root: Buffer.alloc(32, 4) }), log);
    expect(() => cosignatureTime(withSignatureLines(other, [line]), key)).toThrow('does not verify');
    const sig = Buffer.from(line.split(' ')[2] ?? '', 'base64');
    sig.writeBigUInt64BE(1001n, 4);
    expect(() => cosignatureTime(withSignatureLines(note, [`\u2014 ${w.name} ${sig.toString('base64')}`]), key)).toThrow('does not verify');
  });
});

import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpoint } from './checkpoint.ts';
import { openNote, parseVerifierKey, signNote, verifierKey } from './note.ts';

// The reference key pair and note of golang.org/x/mod/sumdb/note (note_test.go, BSD-style licence):
// Ed25519 is deterministic, so signing the same text must give the published note byte for byte.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('C2SP signed notes and checkpoints', () => {
  it('reproduces the Go reference note and verifier key byte for byte', () => {
    const seed = Buffer.from(GO_SEED, 'base64').subarray(1);
    const privateKey = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey(privateKey);
    expect(verifierKey('PeterNeumann', publicKey)).toBe(GO_VKEY);
    expect(signNote(GO_TEXT, { name: 'PeterNeumann', privateKey, publicKey })).toBe(GO_NOTE);
    expect(openNote(GO_NOTE, parseVerifierKey(GO_VKEY))).toBe(GO_TEXT);
  });

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = { name: 'gatekeeper.test/ledger', privateKey, publicKey };
  const vkey = verifierKey(signer.name, publicKey);

  it('writes a verifier key as name+hex id+base64(0x01||key)', () => {
    expect(vkey).toMatch(/^gatekeeper\.test\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(Buffer.from(vkey.slice(vkey.indexOf('+') + 10), 'base64')[0]).toBe(1);
  });

  it('signs a checkpoint that verifies and parses back', () => {
    const root = Buffer.alloc(32, 7);
    const note = signNote(checkpointText({ origin: 'gatekeeper.test/ledger', size: 42, root }), signer);
    expect(note).toMatch(/^gatekeeper\.test\/ledger\n42\n[A-Za-z0-9+/=]{44}\n\n\u2014 gatekeeper\.test\/ledger [A-Za-z0-9+/=]+\n$/);
    const cp = parseCheckpoint(openNote(note, parseVerifierKey(vkey)));
    expect(cp).toEqual({ origin: 'gatekeeper.test/ledger', size: 42, root });
  });

  it('rejects an edited note, a foreign key and a malformed verifier key', () => {
    const note = signNote(checkpointText({ origin: 'o', size: 1, root: Buffer.alloc(32) }), signer);
    expect(() => openNote(note.replace('\n1\n', '\n2\n'), parseVerifierKey(vkey))).toThrow('signature does not verify');
    const other = generateKeyPairSync('ed25519');
    expect(() => openNote(note, parseVerifierKey(verifierKey(signer.name, other.publicKey)))).toThrow('no signature');
    expect(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow('key ID');
    expect(() => parseCheckpoint('o\n-1\nAAAA\n')).toThrow('malformed');
  });
});

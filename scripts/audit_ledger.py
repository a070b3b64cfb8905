#!/usr/bin/env python3
"""Independent auditor for a Gatekeeper ledger, written from the specs alone (RFC 9162 §2.1, C2SP signed-note,
tlog-checkpoint and tlog-cosignature), sharing no code with Gatekeeper.

  gatekeeper ledger export > leaves.jsonl
  gatekeeper ledger checkpoint > checkpoint.txt
  gatekeeper ledger key > key.txt
  python3 scripts/audit_ledger.py leaves.jsonl checkpoint.txt key.txt [--witness witness.vkey ...]

Exit status 0 when the signature verifies, the leaves give the signed root and each witness named with
--witness (a file holding its key, name+hexid+base64(0x04||pk)) cosigned the checkpoint; 1 otherwise.
Needs Debian's python3-cryptography for Ed25519.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def mth(hashes):
    """Merkle tree hash over leaf hashes, by RFC 9162's recursive definition (k = largest power of 2 < n)."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:])).digest()


def parse_key(vkey, alg, what):
    """Splits a C2SP key `name+hexid+base64(alg||pk)` and checks its algorithm byte and key id; returns (name, id, pk)."""
    name, key_id, key_b64 = vkey.strip().split("+", 2)
    raw = base64.b64decode(key_b64)
    if raw[0] != alg or len(raw) != 33:
        raise ValueError(f"not an {what}")
    if hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() != key_id:
        raise ValueError(f"{'witness' if alg == 4 else 'verifier'} key id does not match")
    return name, key_id, raw[1:]


def signatures_by(note, name, key_id):
    """The note's text, and the signature bytes (after the key id) of every line by this key's name and id."""
    text, sigs = note.rsplit("\n\n", 1)
    text += "\n"
    found = []
    for line in sigs.strip("\n").split("\n"):
        dash, signer, sig_b64 = line.split(" ")
        sig = base64.b64decode(sig_b64)
        if dash == "\u2014" and signer == name and sig[:4].hex() == key_id:
            found.append(sig[4:])
    return text, found


def open_note(note, vkey):
    """Checks the note's Ed25519 signature by the key `name+hexid+base64(0x01||pk)`; returns the note text."""
    name, key_id, pk = parse_key(vkey, 1, "Ed25519 verifier key")
    text, sigs = signatures_by(note, name, key_id)
    if not sigs:
        raise ValueError("no signature by the given key")
    Ed25519PublicKey.from_public_bytes(pk).verify(sigs[0], text.encode())
    return text


def check_cosignature(note, vkey):
    """Checks the tlog-cosignature/v1 line of the witness key `name+hexid+base64(0x04||pk)`; returns its time."""
    name, key_id, pk = parse_key(vkey, 4, "Ed25519 cosignature/v1 witness key")
    text, sigs = signatures_by(note, name, key_id)
    if not sigs:
        raise ValueError(f"no cosignature of witness {name}")
    sig = sigs[0]
    if len(sig) != 8 + 64:
        raise ValueError(f"malformed cosignature of {name}")
    time = int.from_bytes(sig[:8], "big")
    message = b"cosignature/v1\ntime " + str(time).encode() + b"\n" + text.encode()
    Ed25519PublicKey.from_public_bytes(pk).verify(sig[8:], message)
    return name, time


def main(leaves_path, checkpoint_path, key_path, *options):
    witnesses = []
    if len(options) % 2 or any(o != "--witness" for o in options[::2]):
        raise ValueError("usage: audit_ledger.py leaves.jsonl checkpoint.txt key.txt [--witness witness.vkey ...]")
    for path in options[1::2]:
        with open(path, encoding="utf-8") as f:
            witnesses.append(f.read())
    with open(key_path, encoding="utf-8") as f:
        vkey = f.read()
    with open(checkpoint_path, encoding="utf-8") as f:
        note = f.read()
    text = open_note(note, vkey)
    cosigned = [check_cosignature(note, w) for w in witnesses]
    origin, size, root_b64 = text.split("\n")[:3]
    size = int(size)
    hashes = []
    with open(leaves_path, encoding="utf-8") as f:
        for expected, line in enumerate(f):
            entry = json.loads(line)
            if entry["index"] != expected:
                raise ValueError(f"entry {expected} is missing or out of order")
            hashes.append(hashlib.sha256(b"\x00" + base64.b64decode(entry["leaf"])).digest())
    if len(hashes) < size:
        raise ValueError(f"checkpoint covers {size} entries but only {len(hashes)} were exported")
    root = mth(hashes[:size])
    if base64.b64encode(root).decode() != root_b64:
        raise ValueError("the exported leaves do not give the signed root")
    print(f"OK {origin}: signature verified, {size} leaves give root {root.hex()}")
    for name, time in cosigned:
        print(f"OK cosigned by {name} at {time}")


if __name__ == "__main__":
    try:
        if len(sys.argv) < 4:
            raise ValueError("usage: audit_ledger.py leaves.jsonl checkpoint.txt key.txt [--witness witness.vkey ...]")
        main(*sys.argv[1:])
    except (ValueError, InvalidSignature, KeyError, IndexError) as e:
        print(f"FAILED: {e or type(e).__name__}", file=sys.stderr)
        sys.exit(1)

/**
 * A witness's add-checkpoint (C2SP tlog-witness): verify the log's signature, check the request starts
 * where this witness last left the log, verify the consistency proof from there, then cosign (C2SP
 * tlog-cosignature/v1) and remember the new checkpoint. Results carry the HTTP status the spec gives each case.
 */
import {
  cosign,
  EMPTY_ROOT,
  openNote,
  parseCheckpoint,
  splitNote,
  verifyConsistency,
  type NoteSigner,
  type Verifier,
} from '../ledger/index.ts';

/** What a witness remembers of one log: the latest checkpoint it cosigned, with its cosignature. */
export interface LogState {
  size: number;
  root: string;
  note: string;
}

/** The outcome, as tlog-witness's HTTP interface would answer. */
export type AddResult =
  { status: 200; body: string; state: LogState; message: string } | { status: 400 | 403 | 404 | 409 | 422; body: string; message: string };

/** Longest request accepted: 63 proof lines, a checkpoint and a few dozen signatures fit easily. */
export const MAX_REQUEST = 64 * 1024;
const MAX_PROOF = 63;

const fail = (status: 400 | 403 | 404 | 409 | 422, message: string, body = `${message}\n`): AddResult => ({ status, body, message });

/**
 * Handles one add-checkpoint request body. `logs` maps each known origin to the log keys trusted for it;
 * `known` is what this witness holds for the request's log (null if it never cosigned it).
 */
export function addCheckpoint(
  request: string,
  logs: ReadonlyMap<string, readonly Verifier[]>,
  known: (origin: string) => LogState | null,
  signer: NoteSigner,
  now: number,
): AddResult {
  if (request.length > MAX_REQUEST) return fail(400, `the request is longer than ${MAX_REQUEST} bytes`);
  const blank = request.indexOf('\n\n');
  if (blank < 0) return fail(400, 'the request has no empty line before the checkpoint');
  const head = request.slice(0, blank).split('\n');
  const note = request.slice(blank + 2);
  const oldLine = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  if (!oldLine) return fail(400, 'the request must start with "old <size>"');
  const old = Number(oldLine[1]);
  if (!Number.isSafeInteger(old)) return fail(400, 'the old size is too large');
  const proofLines = head.slice(1);
  if (proofLines.length > MAX_PROOF) return fail(400, `more than ${MAX_PROOF} consistency proof lines`);
  const proof: Buffer[] = [];
  for (const l of proofLines) {
    const h = Buffer.from(l, 'base64');
    if (h.length !== 32 || h.toString('base64') !== l) return fail(400, 'a consistency proof line is not a base64 SHA-256 hash');
    proof.push(h);
  }
  let body: string;
  let origin: string;
  try {
    body = splitNote(note).body;
    origin = body.slice(0, body.indexOf('\n'));
  } catch {
    return fail(400, 'the checkpoint is not a signed note');
  }
  const keys = logs.get(origin);
  if (!keys) return fail(404, `this witness does not know the log ${origin}`);
  const opened = keys.map((k) => {
    try {
      return openNote(note, k);
    } catch (e) {
      return e as Error;
    }
  });
  if (!opened.some((o) => typeof o === 'string')) {
    const bad = opened.find((o) => o instanceof Error && o.message === 'signature does not verify');
    return fail(
      403,
      bad
        ? 'the log signature on the checkpoint does not verify'
        : 'the checkpoint carries no signature of a key this witness trusts for the log',
    );
  }
  let cp;
  try {
    cp = parseCheckpoint(body);
  } catch (e) {
    return fail(400, `the checkpoint is malformed: ${(e as Error).message}`);
  }
  const last = known(origin);
  const lastSize = last?.size ?? 0;
  if (old > cp.size)
    return fail(
      400,
      old === lastSize
        ? `refused: the checkpoint has ${cp.size} entries, fewer than the ${lastSize} this witness already cosigned: the log was truncated or rolled back`
        : `the old size ${old} is larger than the checkpoint's ${cp.size}`,
    );
  if (old !== lastSize)
    return fail(
      409,
      `this witness last cosigned ${origin} at size ${lastSize}, not ${old}: send a request from old size ${lastSize}`,
      `${lastSize}\n`,
    );
  if (cp.size === 0 && !cp.root.equals(EMPTY_ROOT)) return fail(422, 'a checkpoint of size 0 must have the empty root');
  const rewritten = `refused: the checkpoint of size ${cp.size} is not consistent with the checkpoint of size ${lastSize} this witness cosigned (root ${last?.root ?? ''}): the log's history was rewritten`;
  if (old === 0) {
    if (proof.length > 0) return fail(422, 'a request from size 0 must carry no proof');
  } else if (old === cp.size) {
    if (!cp.root.equals(Buffer.from(last?.root ?? '', 'base64'))) return fail(422, rewritten);
  } else if (!verifyConsistency(old, cp.size, Buffer.from(last?.root ?? '', 'base64'), cp.root, proof)) {
    return fail(422, rewritten);
  }
  const line = cosign(body, signer, now);
  return {
    status: 200,
    body: line,
    state: { size: cp.size, root: cp.root.toString('base64'), note: `${note}${line}` },
    message: `cosigned ${origin} at size ${cp.size}${old > 0 ? ` (consistent with size ${old})` : ''}`,
  };
}

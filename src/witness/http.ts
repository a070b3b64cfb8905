/**
 * tlog-witness over HTTP: `POST <prefix>/add-checkpoint` on a witness, and the log's side of it. The state
 * file and its lock are the same as the command line's, so both can serve one witness.
 */
import { createServer, type Server } from 'node:http';
import type { Cosigner, Ledger, NoteSigner, Verifier } from '../ledger/index.ts';
import { addCheckpoint, MAX_REQUEST, type AddResult } from './add-checkpoint.ts';
import { logState, withState } from './state.ts';

/** What a witness server needs: its key, its state file, and the logs it follows. */
export interface WitnessConfig {
  signer: NoteSigner;
  stateFile: string;
  logs: ReadonlyMap<string, readonly Verifier[]>;
}

/** Handles one request body against the state file, recording a cosigned checkpoint before answering. */
export function addToState(cfg: WitnessConfig, request: string): AddResult {
  const now = Math.floor(Date.now() / 1000);
  return withState<AddResult>(cfg.stateFile, (state) => {
    const r = addCheckpoint(request, cfg.logs, (origin) => logState(state, origin), cfg.signer, now);
    if (r.status !== 200) return { out: r };
    const origin = r.state.note.slice(0, r.state.note.indexOf('\n'));
    return { state: { logs: { ...state.logs, [origin]: r.state } }, out: r };
  });
}

/** An HTTP server answering `POST /add-checkpoint` as tlog-witness says; not listening yet. */
export function witnessServer(cfg: WitnessConfig): Server {
  return createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/add-checkpoint') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /add-checkpoint\n');
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (c: Buffer) => {
      length += c.length;
      if (length > MAX_REQUEST) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end(`the request is longer than ${MAX_REQUEST} bytes\n`);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let r: AddResult;
      try {
        r = addToState(cfg, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`${(e as Error).message}\n`);
        return;
      }
      res.writeHead(r.status, { 'content-type': r.status === 409 ? 'text/x.tlog.size' : 'text/plain; charset=utf-8' }).end(r.body);
    });
  });
}

/**
 * Asks the witness at `url` (its submission prefix) to cosign the log's latest checkpoint, from the largest
 * checkpoint it cosigned as far as the store knows, or from the size it answers with a 409; attaches the
 * cosignature and returns the size cosigned. Throws with the witness's own words when it refuses.
 */
export async function requestCosignature(ledger: Ledger, witness: Cosigner, url: string): Promise<number> {
  let old = (await ledger.lastCosigned(witness))?.size ?? 0;
  for (let attempt = 0; ; attempt++) {
    const p = await ledger.consistency(old);
    const body = `old ${old}\n${p.proof.map((h) => `${h}\n`).join('')}\n${p.checkpoint}`;
    const res = await fetch(`${url.replace(/\/$/, '')}/add-checkpoint`, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (res.status === 200) return ledger.attachCosignatures(witness, text);
    const size = Number(text.trim());
    if (res.status === 409 && attempt === 0 && Number.isSafeInteger(size) && size >= 0 && size <= ledger.size) {
      old = size;
      continue;
    }
    throw new Error(`witness ${witness.name} answered ${res.status}: ${text.trim().slice(0, 500)}`);
  }
}

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliStore, gk } from './test-cli.ts';

describe('gatekeeper orders access-link', () => {
  it('prints a link with the token in the fragment, and keeps only its hash, for the order named', () => {
    const dir = cliStore(2);
    const r = gk(dir, ['orders', 'access-link', 'L1', '--minutes', '30', '--base', 'https://gk.example.org/'], undefined, {
      GATEKEEPER_PUBLIC_URL: '',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { link: string; order_id: string; expires_at: string };
    expect(out.link).toMatch(/^https:\/\/gk\.example\.org\/#\/my-order\/gko_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(out.expires_at) - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const token = out.link.slice(out.link.indexOf('gko_'));
    const db = new Sqlite(join(dir, 'data/gatekeeper.db'), { readonly: true });
    const rows = db.prepare('select t.hash, o.platform_order_id from order_access_tokens t join orders o on o.id = t.order_id').all() as {
      hash: string;
      platform_order_id: string;
    }[];
    db.close();
    expect(rows).toEqual([{ hash: createHash('sha256').update(token).digest('hex'), platform_order_id: 'L1' }]);

    const bad = gk(dir, ['orders', 'access-link', 'L1', '--minutes', '1']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ttl_minutes');
    const none = gk(dir, ['orders', 'access-link', 'L9']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no such order');
  });
});

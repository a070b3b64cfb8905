import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hookSchema } from './alerts.ts';
import { internalAddress, refusedHost, refusedTarget } from './webhook-target.ts';

describe('webhook targets', () => {
  let insecure: string | undefined;
  beforeEach(() => {
    insecure = process.env.GATEKEEPER_WEBHOOK_INSECURE;
    delete process.env.GATEKEEPER_WEBHOOK_INSECURE;
  });
  afterEach(() => {
    if (insecure === undefined) delete process.env.GATEKEEPER_WEBHOOK_INSECURE;
    else process.env.GATEKEEPER_WEBHOOK_INSECURE = insecure;
  });

  it('refuses this machine, private networks and the metadata service, and takes public addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(internalAddress(a), a).not.toBeNull();
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']) expect(internalAddress(a), a).toBeNull();
    expect(refusedHost('https://localhost:8080/x')).toMatch(/this machine/);
    expect(refusedHost('https://[::1]/x')).not.toBeNull();
    expect(refusedHost('https://169.254.169.254/latest/meta-data')).not.toBeNull();
    expect(refusedHost('https://hooks.example.com/x')).toBeNull();
  });

  it('refuses at registration a hook on an internal host, naming the field', () => {
    const r = hookSchema.safeParse({ url: 'https://10.0.0.5/hook' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['url']);
    expect(hookSchema.safeParse({ url: 'https://hooks.example.com/hook' }).success).toBe(true);
    // Numbers the URL parser reads as addresses, and credentials in the URL.
    expect(hookSchema.safeParse({ url: 'https://2130706433/hook' }).success).toBe(false);
    expect(hookSchema.safeParse({ url: 'https://0/hook' }).success).toBe(false);
    expect(hookSchema.safeParse({ url: 'https://u:p@hooks.example.com/hook' }).success).toBe(false);
  });

  it('does not deliver to a name that resolves to this machine', async () => {
    expect(await refusedTarget('https://localhost/hook')).toMatch(/this machine/);
    // A name other than localhost that resolves to loopback (the resolver's own name for this host).
    expect(await refusedTarget('https://ip6-localhost/hook')).not.toBeNull();
  });
});

/**
 * Where a webhook may send: only to public addresses. A tenant registering a hook must not be able to make the
 * server post to itself, its database or its cloud's metadata service (SSRF). The host is checked when the
 * hook is registered (names that are addresses, `localhost`) and its addresses again before each delivery;
 * redirects are refused by the delivery itself. GATEKEEPER_WEBHOOK_INSECURE=1 (development) lifts both.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

/** Why an address may not receive webhooks (loopback, private, link-local, shared, multicast…), or null. */
export function internalAddress(address: string): string | null {
  // An IPv4-mapped IPv6 address is its IPv4 address (a BlockList rule on ::ffff:0:0/96 would match every IPv4).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internalAddress(mapped[1] as string) && `${address} is not a public address`;
  const family = isIP(address);
  if (family === 0) return null;
  return INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4') ? `${address} is not a public address` : null;
}

const insecure = (): boolean => process.env.GATEKEEPER_WEBHOOK_INSECURE === '1';

/** A URL's host as an address or name: brackets of an IPv6 literal dropped, lower case. */
const hostOf = (url: string): string => new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Why a hook's URL may not be registered (its host is an internal address or `localhost`), or null. */
export function refusedHost(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const { username, password } = new URL(url);
  if (username !== '' || password !== '') return 'a webhook URL carries no user name or password';
  if (insecure()) return null;
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  return internalAddress(host);
}

/** Why a delivery to this URL must not be made now (a name that resolves to an internal address), or null. */
export async function refusedTarget(url: string): Promise<string | null> {
  if (insecure()) return null;
  if (!URL.canParse(url)) return `${url} is not a URL`;
  const host = hostOf(url);
  const named = refusedHost(url);
  if (named) return named;
  try {
    for (const { address } of await lookup(host, { all: true })) {
      const bad = internalAddress(address);
      if (bad) return `${host} resolves to ${bad.replace(' is ', ', ')}`;
    }
  } catch {
    return `${host} does not resolve`;
  }
  return null;
}

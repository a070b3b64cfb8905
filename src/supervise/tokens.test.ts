import { describe, expect, it } from 'vitest';
import { accessLink, publicBaseFrom } from './tokens.ts';

describe('where consumer links point', () => {
  it('uses the configured public address, whatever host the request reached', () => {
    const base = publicBaseFrom('https://gk.example.com/app/');
    expect(accessLink(base('http://evil.example:8080/api/v1/orders/x/access-link'), 'gko_t')).toBe(
      'https://gk.example.com/app/#/my-order/gko_t',
    );
  });

  it('falls back to the request origin only for a request to this machine when none is configured', () => {
    expect(publicBaseFrom(undefined)('http://127.0.0.1:8080/api/v1/x')).toBe('http://127.0.0.1:8080');
    expect(publicBaseFrom('')('http://localhost:8080/x')).toBe('http://localhost:8080');
    expect(publicBaseFrom('')('http://[::1]:8080/x')).toBe('http://[::1]:8080');
    expect(() => publicBaseFrom(undefined)('http://evil.example/api/v1/x')).toThrow(/GATEKEEPER_PUBLIC_URL/);
  });

  it('refuses a configured address that is not plain http(s) at start-up', () => {
    for (const bad of [
      'gk.example.com',
      'ftp://gk.example.com',
      'https://gk.example.com/?a=1',
      'https://gk.example.com/#x',
      'https://u:p@gk.example.com',
    ])
      expect(() => publicBaseFrom(bad), bad).toThrow(/GATEKEEPER_PUBLIC_URL/);
  });
});

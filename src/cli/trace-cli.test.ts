import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gb18030, utf16 } from '../trace/test-encode.ts';
import { cliStore, gk } from './test-cli.ts';

describe('trace dump FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = cliStore(3);
  });

  it('reads a GBK Taobao export, maps traditional and full-width records, and says why the others did not map', () => {
    const file = join(dir, 'leak.csv');
    writeFileSync(
      file,
      gb18030(
        '收货人姓名,收货地址,联系手机\r\n王*,廣東省深圳市南山區科技園1號,\r\n李*,,１３８０００００００２\r\n张*,深圳市南山区无此路9号,\r\n',
      ),
    );
    const r = gk(dir, ['trace', 'dump', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('read as gb18030, csv (","); header on line 1: 收货人姓名→name, 收货地址→address, 联系手机→phone');
    expect(r.stdout).toContain('3 records, 2 mapped to orders (address 1, phone 1), 1 not mapped');
    expect(r.stdout).toContain('not mapped: 1 × an address that matches no order (lines 4)');
    expect(r.stdout).not.toContain('WARNING');
    expect(r.stdout).not.toContain('无此路');

    const json = gk(dir, ['trace', 'dump', '--json', file]);
    expect((JSON.parse(json.stdout) as { report: { mapped: number; encoding: string } }).report).toMatchObject({
      mapped: 2,
      encoding: 'gb18030',
    });
  });

  it('reads UTF-16 with a BOM and CRLF, TSV in any column order', () => {
    const file = join(dir, 'leak.tsv');
    writeFileSync(file, utf16('联系方式\t收件人\t详细地址\r\n\t王*\t深圳市南山区科技园0号\r\n13800000001\t李*\t\r\n', 'le'));
    const r = gk(dir, ['trace', 'dump', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('read as utf-16le (BOM), csv ("\\t")');
    expect(r.stdout).toContain('2 records, 2 mapped to orders (address 1, phone 1), 0 not mapped');
  });

  it('warns on a line of its own when nothing maps, and for a header-only file', () => {
    const none = join(dir, 'none.csv');
    writeFileSync(none, '详细地址,收件人\n深圳市南山区无此路1号,王*\n,李*\n');
    const r = gk(dir, ['trace', 'dump', none]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'WARNING: none of the 2 records maps to an order; most often: an address that matches no order (1)',
    );
    expect(r.stdout).toContain('not mapped: 1 × no usable field (order number, address, full phone, or time with item) (lines 3)');
    const json = gk(dir, ['trace', 'dump', '--json', none]);
    expect(json.stderr).toContain('WARNING: none of the 2 records maps to an order');

    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, gb18030('收货地址,收货人姓名\r\n'));
    const h = gk(dir, ['trace', 'dump', headerOnly]);
    expect(h.stdout.split('\n')[0]).toBe('WARNING: the dump holds no records (only a header, or nothing)');
    expect(h.stdout).toContain('0 records, 0 mapped to orders, 0 not mapped');
  });
});

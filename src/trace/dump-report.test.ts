import { afterEach, describe, expect, it } from 'vitest';
import { releaseView } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { decodeDump } from './decode.ts';
import { investigateDumpInput, mapDump } from './dump-report.ts';
import { gb18030, utf16 } from './test-encode.ts';

const HEADER = '订单编号,收货人姓名,收货地址,联系手机,宝贝标题,订单创建时间,物流单号';
const ITEM = '加厚羽绒服女款冬季中长款外套';

describe.each(BACKENDS)('dumps as they come, mapped and reported, on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  /** A Taobao-style export of the world's orders (see sampleOrder): one row per way of mapping, and four that cannot map. */
  async function taobaoRows(): Promise<string[]> {
    const alias = (await releaseView(w.c, w.courier, w.orderIds[0] ?? '')).order_no;
    return [
      HEADER,
      `${alias},王*,,,,,YT0001`,
      ',李**,浙江省 杭州市 西湖區 文三路1號2棟1單元102室,,,,',
      ',张*,杭州市西湖区文三路２号３栋１单元１０３室,,,,',
      ',赵*,,１３９０００００００３,,,',
      `,钱*,,,${ITEM} 黑色;XL,2026/11/20 12:05:37,`,
      ',孙*,杭州市西湖区无此路1号,,,,',
      ',周*,,,,,',
      '2999999999999999999,吴*,,,,,',
    ];
  }

  it('maps a GBK Taobao export by alias, traditional and full-width addresses, phone and minute with item, and says why the rest did not map', async () => {
    w = await buildWorld(await open(), 6);
    const bytes = gb18030(`${(await taobaoRows()).join('\r\n')}\r\n`);
    const decoded = await decodeDump(bytes);
    const { report } = await mapDump(w.c, decoded);
    expect(report).toMatchObject({
      encoding: 'gb18030',
      bom: false,
      format: 'csv',
      delimiter: ',',
      records: 8,
      mapped: 5,
      mappedBy: { alias: 1, address: 2, phone: 1, time: 1 },
      notMapped: 3,
      skipped: { header: 1, preamble: 0 },
      warnings: [],
    });
    expect(report.header?.columns.map((c) => [c.header, c.field, c.status])).toEqual([
      ['订单编号', 'order_no', 'mapped'],
      ['收货人姓名', 'name', 'mapped'],
      ['收货地址', 'address', 'mapped'],
      ['联系手机', 'phone', 'mapped'],
      ['宝贝标题', 'item', 'mapped'],
      ['订单创建时间', 'time', 'mapped'],
      ['物流单号', null, 'ignored'],
    ]);
    expect(new Set(report.reasons.map((r) => JSON.stringify(r)))).toEqual(
      new Set(
        [
          { reason: 'address_unknown', count: 1, lines: [7] },
          { reason: 'no_key', count: 1, lines: [8] },
          { reason: 'order_no_unknown', count: 1, lines: [9] },
        ].map((r) => JSON.stringify(r)),
      ),
    );

    const inv = await investigateDumpInput(w.c, decoded);
    expect(inv.records).toBe(8);
    expect(inv.mapped).toEqual({ alias: 1, address: 2, phone: 1, time: 1 });
    expect(inv.report).toEqual(report);
    // The alias names the courier who received it (one probe: an L1 accusation).
    expect(inv.accused.map((a) => a.party)).toEqual([w.courier.id]);
  });

  it('maps a payment time (付款时间), minutes after the order was placed, by minute and item', async () => {
    w = await buildWorld(await open(), 6);
    // Order 4 was placed at 12:05:37 and paid at 12:06:02, 北京时间 (sampleOrder in test-world.ts).
    const { report, mapped } = await mapDump(w.c, `宝贝标题,付款时间\n${ITEM} 黑色;XL,2026-11-20 12:06:02\n${ITEM},2026-11-20 12:07:59\n`);
    expect(report).toMatchObject({ records: 2, mapped: 1, mappedBy: { time: 1 } });
    expect(mapped.map((m) => m.orderId)).toEqual([w.orderIds[4]]);
    expect(report.reasons).toEqual([{ reason: 'time_item_unknown', count: 1, lines: [3] }]);
  }, 60_000);

  it('maps UTF-16 with a BOM, CRLF, shuffled TSV columns, and text sent as JSON alike', async () => {
    w = await buildWorld(await open(), 4);
    const tsv = '收件人\t联系方式\t详细地址\r\n李*\t\t杭州市西湖区文三路1号2栋1-102\r\n张*\t13900000002\t\r\n';
    for (const input of [await decodeDump(utf16(tsv, 'le')), await decodeDump(utf16(tsv, 'be')), tsv]) {
      const { report } = await mapDump(w.c, input);
      expect(report).toMatchObject({ format: 'csv', delimiter: '\t', records: 2, mapped: 2, mappedBy: { address: 1, phone: 1 } });
      expect(report.encoding).toBe(typeof input === 'string' ? 'text' : input.encoding);
    }
  });

  it('never gives a silent zero: a header-only file, garbage bytes, a spreadsheet and a dump that matches nothing are reported', async () => {
    w = await buildWorld(await open(), 2);
    const empty = await mapDump(w.c, await decodeDump(gb18030(`${HEADER}\r\n`)));
    expect(empty.report).toMatchObject({ records: 0, mapped: 0, skipped: { header: 1 } });
    expect(empty.report.warnings.map((x) => x.code)).toEqual(['empty']);

    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => 128 + ((i * 7919 + 13) % 128)));
    const g = await mapDump(w.c, await decodeDump(garbage));
    expect(g.report.mapped).toBe(0);
    expect(g.report.warnings.map((x) => x.code)).toContain(g.report.records > 0 ? 'nothing_mapped' : 'empty');
    if (g.report.encoding === 'utf-8') expect(g.report.warnings.map((x) => x.code)).toContain('undecodable_bytes');

    const xlsx = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.alloc(200)]);
    const x = await mapDump(w.c, await decodeDump(xlsx));
    expect(x.report.format).toBe('binary');
    expect(x.report.warnings[0]?.code).toBe('binary_file');

    const none = await mapDump(w.c, '收货地址,收货人\n杭州市西湖区无此路1号,王*\n杭州市西湖区无此路2号,李*\n,王*\n');
    expect(none.report).toMatchObject({ records: 3, mapped: 0, notMapped: 3 });
    expect(none.report.warnings[0]).toMatchObject({ code: 'nothing_mapped' });
    expect(none.report.warnings[0]?.message).toContain('an address that matches no order (2)');
    expect(none.report.reasons).toEqual([
      { reason: 'address_unknown', count: 2, lines: [2, 3] },
      { reason: 'no_key', count: 1, lines: [4] },
    ]);
    // Reports name columns and line numbers, never the values.
    expect(JSON.stringify(none.report)).not.toContain('无此路');
  });

  it('reports rows with undecodable bytes as such', async () => {
    w = await buildWorld(await open(), 2);
    const good = Buffer.from('收货地址,收货人\n浙江省杭州市西湖区文三路0号1栋1单元101室,王*\n'.repeat(20));
    const bad = Buffer.concat([good, Buffer.from('杭州'), Buffer.from([0xff, 0xfe]), Buffer.from('西湖区,李*\n')]);
    const { report } = await mapDump(w.c, await decodeDump(bad));
    expect(report).toMatchObject({ encoding: 'utf-8', records: 21, mapped: 20 });
    expect(report.reasons).toEqual([{ reason: 'undecodable', count: 1, lines: [41] }]);
    expect(report.warnings.map((x) => x.code)).toContain('undecodable_bytes');
  });
});

import { describe, expect, it } from 'vitest';
import { decodeDump } from './decode.ts';
import { parseDump, readDump } from './dump.ts';
import { fieldOfHeader } from './headers.ts';
import { gb18030, utf16 } from './test-encode.ts';

describe('reading leaked dumps', () => {
  it('reads CSV with Chinese headers, quoted cells and missing values', () => {
    const csv =
      '订单号,姓名,电话,收货地址,商品,下单时间\n2123456789012345678,王*,170 0001 2345,"杭州市西湖区文三路90号3栋1-501",羽绒服 黑色;XL,2026-11-20 14:05\n,李**,,,,\n';
    expect(parseDump(csv)).toEqual([
      {
        order_no: '2123456789012345678',
        name: '王*',
        phone: '170 0001 2345',
        address: '杭州市西湖区文三路90号3栋1-501',
        item: '羽绒服 黑色;XL',
        time: '2026-11-20 14:05',
      },
      { name: '李**' },
    ]);
  });

  it('reads JSON lines, reporting broken ones', () => {
    const d = readDump('{"name":"王*","address":"上海市浦东新区张杨路1号"}\n{oops\n{"phone":17000012345}');
    expect(d.format).toBe('jsonl');
    expect(d.records).toEqual([{ name: '王*', address: '上海市浦东新区张杨路1号' }, {}, { phone: '17000012345' }]);
    expect([...d.unreadable]).toEqual([[1, 'invalid_json']]);
    expect(d.lines).toEqual([1, 2, 3]);
    expect(parseDump('{"name":"王*"}\n{oops')).toEqual([{ name: '王*' }]);
  });

  it('reads a JSON array with Chinese keys, and names the keys it does not know', () => {
    const d = readDump('[{"收货人":"王*","收货地址":"杭州市西湖区文三路1号","备注":"x","vip":"y"}, 3]');
    expect(d.format).toBe('json');
    expect(d.records[0]).toEqual({ name: '王*', address: '杭州市西湖区文三路1号' });
    expect(d.unreadable.get(1)).toBe('invalid_json');
    expect(d.unknownKeys).toEqual(['vip']);
  });

  it('picks fields out of free text by their shape, addresses included', () => {
    expect(parseDump('订单2123456789012345678 张** 17000012345 2026/11/20 14:05:37 已签收')).toEqual([
      { order_no: '2123456789012345678', name: '张**', phone: '17000012345', time: '2026/11/20 14:05:37' },
    ]);
    expect(readDump('收货人  收货地址  手机\n王* 浙江省杭州市西湖区文三路90号3栋1单元501室 13900000001').skipped).toEqual([
      { line: 1, reason: 'header' },
    ]);
    expect(parseDump('王* 浙江省杭州市西湖区文三路90号3栋1单元501室 13900000001')).toEqual([
      { name: '王*', phone: '13900000001', address: '浙江省杭州市西湖区文三路90号3栋1单元501室' },
    ]);
  });

  it('reads Taobao-export headers in any order and never counts a header row as a record', () => {
    for (const [text, want] of [
      ['收货地址,收货人姓名\n浙江省 杭州市 西湖区 文三路1号,王*\n', { address: '浙江省 杭州市 西湖区 文三路1号', name: '王*' }],
      ['详细地址,收件人\n杭州市西湖区文三路1号,王*\n', { address: '杭州市西湖区文三路1号', name: '王*' }],
      [
        '收件人,联系方式,收件地址\n王*,13900000001,杭州市西湖区文三路1号\n',
        { name: '王*', phone: '13900000001', address: '杭州市西湖区文三路1号' },
      ],
      [
        'Order ID,Receiver,Mobile,Shipping Address,Item,Price,Time\n2123456789012345678,王*,13900000001,杭州市西湖区文三路1号,羽绒服,¥299.00,2026-11-20 14:05\n',
        {
          order_no: '2123456789012345678',
          name: '王*',
          phone: '13900000001',
          address: '杭州市西湖区文三路1号',
          item: '羽绒服',
          price: '¥299.00',
          time: '2026-11-20 14:05',
        },
      ],
    ] as const) {
      const d = readDump(text);
      expect(d.format, text).toBe('csv');
      expect(d.records, text).toEqual([want]);
      expect(d.skipped, text).toEqual([{ line: 1, reason: 'header' }]);
    }
  });

  it('maps the usual column names to fields, known-but-unused ones to ignored', () => {
    const cases: [string, string | null][] = [
      ['收货人', 'name'],
      ['收货人姓名', 'name'],
      ['联系人', 'name'],
      ['收货人手机', 'phone'],
      ['联系手机', 'phone'],
      ['手机号', 'phone'],
      ['收货地址', 'address'],
      ['收件地址', 'address'],
      ['详细地址', 'detail'],
      ['订单编号', 'order_no'],
      ['单号', 'order_no'],
      ['order_no', 'order_no'],
      ['宝贝标题', 'item'],
      ['商品名称', 'item'],
      ['实付', 'price'],
      ['付款时间', 'time'],
      ['省', 'province'],
      ['市', 'city'],
      ['区', 'district'],
      ['物流单号', 'ignored'],
      ['订单备注', 'ignored'],
      ['收貨人姓名', 'name'],
      ['收货人姓名（必填）', 'name'],
      ['ＰＨＯＮＥ', 'phone'],
      ['星座', null],
    ];
    for (const [h, f] of cases) expect(fieldOfHeader(h), h).toBe(f);
  });

  it('joins split address columns, reads a title line as preamble and follows a repeated header with other columns', () => {
    const d = readDump(
      '订单报表 2026年11月\n省,市,区,详细地址,收货人\n浙江省,杭州市,西湖区,文三路1号,王*\n' +
        '收货人,详细地址,区,市,省\n李*,文三路2号,西湖区,杭州市,浙江省\n张*,张杨路1号,浦东新区,上海市,上海市\n',
    );
    expect(d.records).toEqual([
      { name: '王*', address: '浙江省杭州市西湖区文三路1号' },
      { name: '李*', address: '浙江省杭州市西湖区文三路2号' },
      { name: '张*', address: '上海市浦东新区张杨路1号' },
    ]);
    expect(d.lines).toEqual([3, 5, 6]);
    expect(d.skipped).toEqual([
      { line: 1, reason: 'preamble' },
      { line: 2, reason: 'header' },
      { line: 4, reason: 'header' },
    ]);
  });

  it('reads TSV and full-width-comma files, CRLF and CR line endings, and spreadsheet text guards', () => {
    expect(readDump('收件人\t收货地址\r\n王*\t杭州市西湖区文三路1号\r\n').records).toEqual([
      { name: '王*', address: '杭州市西湖区文三路1号' },
    ]);
    expect(readDump('收件人，收货地址\r王*，杭州市西湖区文三路1号\r').records).toEqual([{ name: '王*', address: '杭州市西湖区文三路1号' }]);
    const d = readDump('订单编号,收货人\n="2123456789012345678",王*\n2.12346E+18,李*\n\'2123456789012345679,张*\n');
    expect(d.records).toEqual([
      { order_no: '2123456789012345678', name: '王*' },
      { name: '李*' },
      { order_no: '2123456789012345679', name: '张*' },
    ]);
    expect(d.scientific).toBe(1);
  });

  it('simplifies traditional text and half-widths full-width forms, keeping the forms that carry variant bits', () => {
    const d = readDump(
      '訂單編號，收貨人姓名，收貨地址，聯繫手機，寶貝標題\n' +
        '２１２３４５６７８９０１２３４５６７８，張＊，浙江省杭州市西湖區文三路９０號３棟１單元５０１室，１３９　０００　０１２３４，加厚羽絨服女款\n',
    );
    expect(d.records).toEqual([
      {
        order_no: '2123456789012345678',
        // ＊ and the address's full-width digits are variants the server renders: kept for the decoder.
        name: '张＊',
        address: '浙江省杭州市西湖区文三路９０号３栋１单元５０１室',
        phone: '139 000 01234',
        item: '加厚羽绒服女款',
      },
    ]);
  });

  it('reports a quote left open and keeps the lines after it', () => {
    const d = readDump('收货人,收货地址\n王*,杭州市西湖区文三路1号\n"李*,杭州市西湖区文三路2号\n张*,杭州市西湖区文三路3号\n');
    expect(d.records).toEqual([{ name: '王*', address: '杭州市西湖区文三路1号' }, {}, { name: '张*', address: '杭州市西湖区文三路3号' }]);
    expect(d.unreadable.get(1)).toBe('unclosed_quote');
    expect(d.lines).toEqual([2, 3, 4]);
  });

  it('gives no record for a header-only or empty file', () => {
    for (const t of ['收货地址,收货人姓名\n', '收货地址,收货人姓名\r\n\r\n', '', '\n\n']) expect(readDump(t).records, t).toEqual([]);
    expect(readDump('收货地址,收货人姓名').header?.columns.map((c) => c.field)).toEqual(['address', 'name']);
  });

  it('marks records holding undecodable bytes', () => {
    const d = readDump('收货人,收货地址\n王*,杭州\uFFFD\uFFFD西湖区\n李*,杭州市西湖区文三路2号\n');
    expect(d.undecodable).toEqual([true, false]);
  });
});

describe('decoding a dump’s bytes', () => {
  const text = '收货地址,收货人姓名\r\n浙江省杭州市西湖区文三路1号,王*\r\n';

  it('reads UTF-8 with and without a BOM', async () => {
    expect(await decodeDump(Buffer.from(text))).toEqual({ text, encoding: 'utf-8', bom: false, undecodable: 0 });
    expect(await decodeDump(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      text,
      encoding: 'utf-8',
      bom: true,
      undecodable: 0,
    });
  });

  it('reads UTF-16 with a BOM, both byte orders', async () => {
    expect(await decodeDump(utf16(text, 'le'))).toMatchObject({ text, encoding: 'utf-16le', bom: true });
    expect(await decodeDump(utf16(text, 'be'))).toMatchObject({ text, encoding: 'utf-16be', bom: true });
  });

  it('detects GBK and GB18030 (four-byte characters too)', async () => {
    expect(await decodeDump(gb18030(text))).toEqual({ text, encoding: 'gb18030', bom: false, undecodable: 0 });
    const rare = `${text}备注㐀\r\n`;
    const bytes = gb18030(rare);
    expect(bytes.includes(Buffer.from([0x81, 0x39, 0xee, 0x39]))).toBe(true);
    expect(await decodeDump(bytes)).toMatchObject({ text: rare, encoding: 'gb18030' });
  });

  it('reads a file merged from UTF-8 and GBK parts line by line', async () => {
    const part = '浙江省杭州市西湖区文三路1号,王*\r\n';
    const bytes = Buffer.concat([Buffer.from(`收货地址,收货人姓名\r\n${part}`), gb18030(part.repeat(3)), Buffer.from(part)]);
    expect(await decodeDump(bytes)).toEqual({
      text: `收货地址,收货人姓名\r\n${part.repeat(5)}`,
      encoding: 'mixed',
      bom: false,
      undecodable: 0,
    });
    expect(await decodeDump(Buffer.concat([gb18030(`收货地址,收货人姓名\r\n${part}`), Buffer.from('a,b\r\n')]))).toMatchObject({
      encoding: 'gb18030',
    });
  });

  it('keeps UTF-8 with a stray byte as UTF-8 and counts the byte', async () => {
    const bytes = Buffer.concat([Buffer.from(text.repeat(5)), Buffer.from([0xff]), Buffer.from(text)]);
    expect(await decodeDump(bytes)).toMatchObject({ encoding: 'utf-8', undecodable: 1 });
  });

  it('counts what garbage bytes leave undecoded, and names a spreadsheet it cannot read', async () => {
    const garbage = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256));
    const d = await decodeDump(garbage);
    expect(d.undecodable).toBeGreaterThan(0);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.alloc(100)]);
    expect((await decodeDump(zip)).binary).toBeDefined();
  });
});

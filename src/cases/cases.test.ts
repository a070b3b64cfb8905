import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { releaseView, rotateDataKey } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { leafHash, verifyInclusion, verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { appealForReviewer, lookupIdentifier, openAppeal } from '../verify/index.ts';
import { addEvidence, caseForToken, casePdf, createCase, evidenceFile, getCase, listCases, traceCase, type Upload } from './index.ts';

const OUT = fileURLToPath(new URL('../../test-output', import.meta.url));

/** A real 2×2 PNG (signature, IHDR, IDAT, IEND with CRCs). */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const t = Buffer.from(type, 'ascii');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(Buffer.concat([t, data])));
    return Buffer.concat([len, t, data, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'ascii'), Buffer.alloc(64, 0x3c)]);
const EXE = Buffer.concat([Buffer.from('MZ', 'ascii'), Buffer.alloc(200, 0)]);

/** A synthetic case about the world's order T00000000 (consumer 13900000000). */
function sampleCase(aliasTail: string): Record<string, unknown> {
  return {
    victim: { name: '测试报案人', phone: '139 0000 0000', region: '浙江省杭州市' },
    claimed: '测试平台客服',
    contacted_at: '2026-11-25T02:10:00Z',
    scammer: {
      numbers: ['+86 171 2345 6789'],
      accounts: [{ kind: 'alipay', value: 'pianzi@example.com', holder: '王某' }],
      links: ['https://refund-ceshi.top/a'],
    },
    transfers: [
      {
        at: '2026-11-25T02:40:00Z',
        amount_yuan: 4999.5,
        method: 'bank',
        to: { kind: 'bank_card', value: '6222 0212 3456 7890 123', bank: '某银行' },
      },
      { at: '2026-11-25T03:05:00Z', amount_yuan: 12000, method: 'alipay', to: { kind: 'alipay', value: 'pianzi@example.com' } },
    ],
    timeline: [{ at: '2026-11-25T02:20:00Z', what: '对方让我下载会议软件并共享屏幕' }],
    quoted: { text: `他说我订单尾号${aliasTail}的羽绒服有质量问题`, item: '羽绒服', price: '299' },
    order: { platform_order_id: 'T00000000' },
    narrative: '对方自称测试平台客服，说出了我的订单信息，称商品质量问题可三倍赔偿，诱导我屏幕共享后转账。',
    consent: true,
  };
}

describe.each(BACKENDS)('cases on $name', (backend) => {
  let w: World;
  let tail: string;
  beforeAll(async () => {
    w = await buildWorld(await backend.open(), 3);
    const view = await releaseView(w.c, w.courier, w.orderIds[0] as string);
    tail = view.order_no.slice(-8);
  });
  afterAll(() => w.c.close());

  it('refuses disguised, foreign, empty and oversized files, naming the field, and writes nothing', async () => {
    const before = w.c.ledger.size;
    const png = tinyPng();
    await expect(
      createCase(w.c, sampleCase(tail), [
        { name: 'a.png', type: 'image/png', bytes: png },
        { name: '转账.jpg', type: 'image/jpeg', bytes: EXE },
      ]),
    ).rejects.toThrow(/evidence.1: files of type application\/x-msdownload are not accepted/);
    await expect(createCase(w.c, sampleCase(tail), [{ name: 'receipt.pdf', type: 'application/pdf', bytes: png }])).rejects.toThrow(
      /evidence.0: .*disguised/,
    );
    await expect(createCase(w.c, sampleCase(tail), [{ name: 'x.png', type: 'image/png', bytes: Buffer.alloc(0) }])).rejects.toThrow(
      /empty/,
    );
    const big = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]);
    await expect(createCase(w.c, sampleCase(tail), [{ name: 'big.png', type: 'image/png', bytes: big }])).rejects.toThrow(
      /larger than 10 MB/,
    );
    await expect(createCase(w.c, { ...sampleCase(tail), consent: false })).rejects.toThrow(/consent/);
    await expect(createCase(w.c, { ...sampleCase(tail), scammer: { numbers: ['12'], accounts: [], links: [] } })).rejects.toThrow(
      /scammer.numbers.0: must be a valid phone number/,
    );
    expect(w.c.ledger.size).toBe(before);
    expect(await w.c.store.db.selectFrom('cases').select('id').execute()).toEqual([]);
    expect(await w.c.store.db.selectFrom('rep_subjects').select('id').execute()).toEqual([]);
  });

  it('takes a case with evidence into the ledger, merges a resubmission, and feeds reputation once', async () => {
    const png = tinyPng();
    const r = await createCase(w.c, sampleCase(tail), [
      { name: '转账截图.png', type: 'image/png', bytes: png },
      { name: '通话录音.amr', type: 'audio/amr', bytes: AMR },
    ]);
    expect(r.id).toMatch(/^GK\d{8}-[0-9A-Z]{6}$/);
    expect(r.merged).toBe(false);
    expect(r.evidence.map((e) => e.mime)).toEqual(['image/png', 'audio/amr']);
    const again = await createCase(w.c, sampleCase(tail), [{ name: '同一张截图.png', type: 'image/png', bytes: png }]);
    expect(again).toMatchObject({ id: r.id, merged: true });
    // A resubmission adds no files: they reach an existing case only with its token.
    expect(again.evidence).toEqual([]);
    expect(again.token).toBeNull();
    expect(await caseForToken(w.c, r.token as string)).toBe(r.id);
    expect(await caseForToken(w.c, 'gkc_wrong')).toBeUndefined();
    const card = await lookupIdentifier(w.c, 'bank_card', '6222021234567890123');
    expect(card).toMatchObject({ reports: 1, level: 'reported' });
    expect((await lookupIdentifier(w.c, 'alipay', 'pianzi@example.com')).reports).toBe(1);
    expect((await lookupIdentifier(w.c, 'phone', '+8617123456789')).reports).toBe(1);
    expect((await lookupIdentifier(w.c, 'domain', 'refund-ceshi.top')).reports).toBe(1);
    const k = await getCase(w.c, r.id);
    expect(k).toMatchObject({ lossYuan: 16999.5, status: 'received' });
    expect(k.orderId).not.toBeNull();
    expect(k.evidence.map((e) => e.name)).toEqual(['转账截图.png', '通话录音.amr']);
    const file = await evidenceFile(w.c, r.id, k.evidence[0]?.id as string);
    expect(file.bytes.equals(png)).toBe(true);
    const stored = JSON.stringify(await w.c.store.db.selectFrom('cases').selectAll().execute());
    expect(stored).not.toContain('测试报案人');
    expect(stored).not.toContain('13900000000');
    const more = await addEvidence(w.c, r.id, [
      { name: 'chat.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n') },
    ]);
    expect(more[0]?.mime).toBe('application/pdf');
    const proof = await w.c.ledger.inclusion(more[0]?.ledgerIndex as number);
    const leaf = Buffer.from(proof.leaf, 'base64');
    expect(JSON.parse(leaf.toString('utf8'))).toMatchObject({ t: 'evidence', case: r.id });
    expect(
      verifyInclusion(
        proof.index,
        proof.size,
        leafHash(leaf),
        proof.proof.map((p) => Buffer.from(p, 'base64')),
        w.c.ledger.tree.root(proof.size),
      ),
    ).toBe(true);
    expect((await listCases(w.c))[0]).toMatchObject({ id: r.id, evidence: 3, linkedOrder: true });
  });

  it('bounds what one case can hold: a token holder cannot fill the disk', async () => {
    const [k] = await listCases(w.c);
    const pdf = (i: number): Upload => ({
      name: `more${String(i)}.pdf`,
      type: 'application/pdf',
      bytes: Buffer.from(`%PDF-1.4\n%${String(i)}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`),
    });
    const batch = (from: number): Upload[] => Array.from({ length: 5 }, (_, i) => pdf(from + i));
    for (let b = 0; b < 3; b++) await addEvidence(w.c, k?.id as string, batch(b * 5));
    await expect(addEvidence(w.c, k?.id as string, batch(100))).rejects.toThrow(/at most 20 files/);
    expect((await getCase(w.c, k?.id as string)).evidence).toHaveLength(18);
  });

  it('gives trace its report: the quoted alias tail names the courier', async () => {
    const [k] = await listCases(w.c);
    const inv = await traceCase(w.c, k?.id as string);
    expect(inv.accused.map((a) => a.party)).toEqual([w.courier.id]);
  });

  it('renders the police-ready PDF in Chinese (pdftotext and pdftoppm)', async () => {
    const [k] = await listCases(w.c);
    const pdf = await casePdf(w.c, k?.id as string);
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, `case-report-${backend.name}.pdf`);
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const s of [
      '电信网络诈骗报案材料',
      k?.id as string,
      '110',
      '96110',
      '16,999.50',
      '6222021234567890123',
      'SHA-256',
      '转账截图.png',
      '对方让我下载会议软件并共享屏幕',
      '签名检查点',
    ])
      expect(text).toContain(s);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, join(OUT, `case-report-${backend.name}`)]);
    expect(statSync(join(OUT, `case-report-${backend.name}-1.png`)).size).toBeGreaterThan(10_000);
  });

  it('key rotation re-seals cases, evidence, reported identifiers and appeals, and they still open', async () => {
    const png = tinyPng();
    const receipt = await createCase(w.c, { ...sampleCase(tail), narrative: '轮换前的报案，用于检查密钥轮换。' }, [
      { name: '转账截图.png', type: 'image/png', bytes: png },
    ]);
    const appeal = await openAppeal(w.c, 'phone', '+8617123456789', '这是我的号码，被误报');
    const r = await rotateDataKey(w.c, w.platform.id, { batch: 2 });
    expect(r.values).toBeGreaterThanOrEqual(5);
    const versions = async (table: 'cases' | 'evidence' | 'rep_subjects' | 'appeals', col: string): Promise<string[]> =>
      (await sql<{ v: string }>`select ${sql.ref(col)} as v from ${sql.table(table)}`.execute(w.c.store.db)).rows.map((x) =>
        x.v.slice(0, x.v.indexOf('.')),
      );
    for (const [table, col] of [
      ['cases', 'facts_ct'],
      ['evidence', 'name_ct'],
      ['evidence', 'blob_ct'],
      ['rep_subjects', 'value_ct'],
      ['appeals', 'reason_ct'],
    ] as const)
      expect(new Set(await versions(table, col)), `${table}.${col}`).toEqual(new Set([String(r.to)]));
    const rec = await getCase(w.c, receipt.id);
    expect(rec.facts.narrative).toContain('轮换前');
    const ev = rec.evidence[0];
    expect(ev?.name).toBe('转账截图.png');
    expect((await evidenceFile(w.c, receipt.id, ev?.id ?? '')).bytes.equals(png)).toBe(true);
    expect((await appealForReviewer(w.c, appeal.id)).reason).toBe('这是我的号码，被误报');
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).ok).toBe(true);
  });
});

/**
 * The demo story, end to end through the real paths: a world is built and its parties take their views; the
 * platform registers its official channels and files its real calls; a station leaks its manifest; scammers
 * call its customers quoting their orders; victims check the calls and some report; trace names the station
 * from the dump (and ranks it from the cases), and writes the evidence PDF.
 */
import { createApiKey, getParty, loadOrders, plainOrder, releaseMany, type Custody, type Party } from '../custody/index.ts';
import { check } from '../check/index.ts';
import { createCase } from '../cases/index.ts';
import { at } from '../shared/at.ts';
import { seeded, shuffle } from '../shared/random.ts';
import { evidencePdf, investigateDump, recordInvestigation, type DumpInvestigation, type LeakedRecord } from '../trace/index.ts';
import { knowledgeFor, recordContacts, register } from '../verify/index.ts';
import { makeDump } from './leaks.ts';
import { releaseWorld } from './releases.ts';
import { buildSimWorld, type SimOrder, type SimWorld, type WorldSpec } from './world.ts';

/** Progress: a stage label and how far it is. */
export type StoryProgress = (stage: string, done: number, total: number) => void;

/** What the story produced, for the terminal and for the console that shows it afterwards. */
export interface StoryResult {
  world: SimWorld;
  officialNumber: string;
  station: Party;
  /** What the station leaked, as the scammers hold it. */
  dump: LeakedRecord[];
  leaked: number;
  calls: { total: number; flagged: number };
  cases: string[];
  investigation: DumpInvestigation;
  evidencePdf: Buffer;
  /** A consumer the platform really called, to try on the verify page. */
  verifyExample: { consumer: string; caller: string };
  /** Keys for the console, printed once. */
  keys: { regulator: string; admin: string };
}

/** Synthetic scammer numbers and receiving cards (virtual-operator and international ranges, made up). */
const SCAM_NUMBERS = ['+86 170 5550 1234', '+86 171 5550 8866', '+852 5550 1234'];
const SCAM_CARDS = ['6222025550001234567', '6217005550009876543'];

/** A demo service number and brand name no earlier demo world in this store holds (channels are unique). */
async function freeChannels(c: Custody, platform: Party): Promise<{ number: string; brand: string }> {
  for (let n = 0; n < 100; n++) {
    const number = String(951200 + n);
    const brand = n === 0 ? '模拟平台' : `模拟平台${String(n + 1)}`;
    const held = await c.store.db
      .selectFrom('channels')
      .select('party_id')
      .where((eb) => eb.or([eb('value', '=', number), eb('value', '=', brand)]))
      .execute();
    if (held.every((h) => h.party_id === platform.id)) return { number, brand };
  }
  throw new Error('no free demo service number left in 951200-951299');
}

function scamText(platform: string, r: LeakedRecord): string {
  const item = r.item ? `购买的${r.item}` : '买的东西';
  const when = r.time ? `在${r.time}` : '';
  const tail = r.order_no ? `，订单尾号${r.order_no.slice(-8)}` : '';
  return `您好，我是${platform}客服，您${when}${item}${tail}，商品有质量问题，我们给您三倍赔偿。请下载会议软件共享屏幕，按我说的操作，把收到的验证码告诉我。`;
}

/** Runs the story on `c` (which should be fresh or hold earlier demo worlds only). */
export async function runStory(c: Custody, spec: WorldSpec, progress: StoryProgress = () => undefined): Promise<StoryResult> {
  const rand = seeded(spec.seed * 31 + 7);
  const world = await buildSimWorld(c, spec, (_s, d, t) => {
    progress('world', d, t);
  });
  await releaseWorld(c, world, (d, t) => {
    progress('views', d, t);
  });
  const platform = world.platform;
  const { number, brand } = await freeChannels(c, platform);
  await register(c, platform, {
    channels: [
      { kind: 'phone', value: number, label: '官方客服热线' },
      { kind: 'domain', value: `s${number}.shop.example` },
      { kind: 'name', value: brand },
    ],
    never: ['code', 'card', 'transfer', 'screen', 'app', 'loan', 'off_platform'],
  });
  const agents = world.byKind.get('cs_agent') ?? [];
  const called = shuffle(rand, world.orders).slice(0, 20);
  await recordContacts(
    c,
    platform,
    called.map((o, i) => ({
      agent_id: at(agents, i % agents.length).id,
      platform_order_id: o.platformOrderId,
      channel: 'call' as const,
      number_used: number,
      at: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
      reason: 'logistics' as const,
      agent_label: `工号${String(1000 + i)}`,
    })),
  );
  progress('registry', 1, 1);

  const stations = world.byKind.get('station') ?? [];
  const handled = (s: Party): SimOrder[] => world.orders.filter((o) => o.station === s.id);
  const busiest = [...stations].sort((a, b) => handled(b).length - handled(a).length);
  const station = at(busiest, 0, 'station');
  const pool = handled(station);
  const dump = await makeDump(c, world, [station], pool, {
    seed: spec.seed,
    records: pool.length,
    erase: 0.3,
    retype: 0.05,
    noise: 200,
    stripIdentifiers: false,
  });
  progress('leak', 1, 1);

  // Scammers work through the dump: each call quotes what the record holds.
  const victims = shuffle(rand, pool).slice(0, 30);
  const rows = new Map(
    (
      await loadOrders(
        c.store.db,
        victims.map((v) => v.id),
      )
    ).map((o) => [o.id, o]),
  );
  // What the scammers hold is the station's view of each order (taking it again is idempotent: same rendering).
  const leakedViews = await releaseMany(
    c,
    station,
    victims.map((v) => v.id),
  );
  let flagged = 0;
  const cases: string[] = [];
  for (const [i, v] of victims.entries()) {
    const view = leakedViews[i];
    const text = scamText(brand, {
      ...(typeof view?.item === 'string' ? { item: view.item } : {}),
      ...(typeof view?.time === 'string' ? { time: view.time } : {}),
      ...(view?.order_no ? { order_no: view.order_no } : {}),
    });
    const caller = SCAM_NUMBERS[i % SCAM_NUMBERS.length] as string;
    const verdict = check({ text, caller, channel: 'call' }, await knowledgeFor(c, { text, caller }));
    if (verdict.level !== 'low') flagged++;
    progress('calls', i + 1, victims.length);
    // One victim in three had already paid and reports.
    if (i % 3 !== 0) continue;
    const row = rows.get(v.id);
    const phone = row ? plainOrder(c, row, '', { name: false, phone: true, address: false }).phone : undefined;
    const at = new Date(Date.now() - (30 - i) * 3 * 3_600_000);
    const receipt = await createCase(c, {
      victim: { name: `模拟报案人${String(i + 1)}`, ...(phone ? { phone } : {}) },
      claimed: `${brand}客服`,
      contacted_at: at.toISOString(),
      scammer: { numbers: [caller], accounts: [], links: [] },
      transfers: [
        {
          at: new Date(at.getTime() + 40 * 60_000).toISOString(),
          amount_yuan: 1000 + ((i * 977) % 9000),
          method: 'bank',
          to: { kind: 'bank_card', value: SCAM_CARDS[i % SCAM_CARDS.length] as string },
        },
      ],
      quoted: { text },
      order: { platform_order_id: v.platformOrderId },
      narrative: `对方自称${brand}客服，准确说出了我的订单信息，说商品有质量问题可以三倍赔偿，让我共享屏幕并转账。`,
      consent: true,
    });
    cases.push(receipt.id);
  }

  const investigation = await investigateDump(c, dump);
  const regulator = at(world.byKind.get('regulator') ?? [], 0, 'regulator');
  await recordInvestigation(c, 'dump', regulator.id, investigation);
  const pdf = await evidencePdf(investigation, { source: '演示：在诈骗团伙处查获的数据', checkpoint: await c.ledger.checkpoint() });
  progress('trace', 1, 1);

  const example = at(called, 0, 'called order');
  const exampleRow = (await loadOrders(c.store.db, [example.id]))[0];
  const consumer = exampleRow ? plainOrder(c, exampleRow, '', { name: false, phone: true, address: false }).phone : '';
  const regKey = await createApiKey(c, { operator: 'demo' }, regulator.id, {
    scopes: ['trace', 'ledger', 'cases', 'reputation'],
    label: 'demo console',
  });
  const adminKey = await createApiKey(c, { operator: 'demo' }, platform.id, { label: 'demo console' });
  return {
    world,
    officialNumber: number,
    station: (await getParty(c, station.id)) as Party,
    dump,
    leaked: dump.length,
    calls: { total: victims.length, flagged },
    cases,
    investigation,
    evidencePdf: pdf,
    verifyExample: { consumer, caller: number },
    keys: { regulator: regKey.key, admin: adminKey.key },
  };
}

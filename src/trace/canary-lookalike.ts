/**
 * What a canary order is made of, so that the parties it passes through cannot tell it from the outlet's
 * real orders: a courier who can spot canaries leaks around them. Everything is drawn from the outlet's
 * recent real orders (never earlier canaries): items from the shop's (else the outlet's), roads the outlet
 * delivers to (the road only, never a house) with building, unit and room taken from other orders, and order
 * and payment times from its orders' times, a few minutes apart, so that a canary is as old as the orders
 * travelling with it. Names come from a wide list.
 */
import { randomInt } from 'node:crypto';
import { loadRenderRows, plainOrder, type Custody } from '../custody/index.ts';

/** How many of the outlet's recent orders the look is taken from. */
const SAMPLE = 300;
/** Orders whose street is read for its road. */
const STREETS = 60;
/** How far a canary's order time may lie from the real order time it is drawn from. */
const JITTER_MS = 20 * 60_000;

const SURNAMES = Array.from(
  '王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文',
);
const GIVEN = Array.from(
  '伟芳娜敏静磊洋艳勇军杰涛明超秀霞平刚桂英华玉兰萍红建国文辉强鹏丽霞斌宇浩凯婷雪琳晨欣怡子涵梓轩佳宁俊峰志刚海燕晓东春梅秋菊',
);
const ROADS = ['人民路', '解放路', '建设路', '中山路', '和平路', '文化路', '新华路', '长江路', '朝阳路', '幸福路'];

/** A canary's look: the item, the address below the district, the recipient's name and the order times. */
export interface CanaryLook {
  item: { title: string; spec: string[]; quantity: number; price_cents: number };
  region: { province: string; city: string; district: string };
  street: string;
  building: string;
  unit: string;
  room: string;
  name: string;
  ordered_at: string;
  paid_at: string;
}

/** The road of a street ("文三路 88 号" gives "文三路"), or null when it names none. */
export function roadOf(street: string): string | null {
  const m = /^(.*?[路街道巷弄里])\d/.exec(street.replace(/\s+/g, ''));
  return m?.[1] && m[1].length >= 2 ? m[1] : null;
}

/** Draws canary looks for `outlet` from its recent orders (the shop's items first); throws when the outlet has no orders. */
export async function canaryLooks(c: Custody, outlet: string, merchant: string, count: number): Promise<CanaryLook[]> {
  const sample = await c.store.db
    .selectFrom('orders as o')
    .leftJoin('canaries as k', 'k.order_id', 'o.id')
    .select([
      'o.id',
      'o.merchant_id',
      'o.province',
      'o.city',
      'o.district',
      'o.item_title',
      'o.item_spec',
      'o.quantity',
      'o.price_cents',
      'o.ordered_at',
      'o.paid_at',
    ])
    .where('o.outlet_id', '=', outlet)
    .where('k.order_id', 'is', null)
    .orderBy('o.ordered_at', 'desc')
    .limit(SAMPLE)
    .execute();
  if (sample.length === 0) return [];
  const shop = sample.filter((o) => o.merchant_id === merchant);
  const items = shop.length > 0 ? shop : sample;
  const roads = new Set<string>();
  const homes: { building: string; unit: string; room: string }[] = [];
  const numbers: string[] = [];
  for (const o of await loadRenderRows(
    c.store.db,
    sample.slice(0, STREETS).map((o) => o.id),
  )) {
    const a = plainOrder(c, o, '', { name: false, phone: false, address: true });
    const road = roadOf(a.street);
    if (road) roads.add(road);
    const no = /(\d+)号/.exec(a.street)?.[1];
    if (no) numbers.push(no);
    if (a.building && a.unit && a.room) homes.push({ building: a.building, unit: a.unit, room: a.room });
  }
  const streets = roads.size > 0 ? [...roads] : ROADS;
  const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)] as T;
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const item = pick(items);
    const region = pick(sample);
    const when = pick(sample);
    const ordered = Math.min(now, Date.parse(when.ordered_at) + randomInt(2 * JITTER_MS) - JITTER_MS);
    const paidAfter = Math.max(0, Date.parse(when.paid_at) - Date.parse(when.ordered_at));
    const given = randomInt(3) === 0 ? pick(GIVEN) : pick(GIVEN) + pick(GIVEN);
    // Road, house number and building/unit/room each from a different real order: no real home is copied.
    const home =
      homes.length > 0
        ? pick(homes)
        : { building: String(randomInt(1, 20)), unit: String(randomInt(1, 5)), room: String(randomInt(1, 30) * 100 + randomInt(1, 5)) };
    return {
      item: {
        title: item.item_title,
        spec: JSON.parse(item.item_spec) as string[],
        quantity: item.quantity,
        price_cents: item.price_cents,
      },
      region: { province: region.province, city: region.city, district: region.district },
      street: `${pick(streets)}${numbers.length > 0 ? pick(numbers) : String(randomInt(1, 300))}号`,
      ...home,
      name: pick(SURNAMES) + given,
      ordered_at: new Date(ordered).toISOString(),
      paid_at: new Date(Math.min(now, ordered + paidAfter)).toISOString(),
    };
  });
}

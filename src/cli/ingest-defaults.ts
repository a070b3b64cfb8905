/** `orders ingest --merchant/--route`: fields filled into the orders of a file that name none. */
import { InvalidArgumentError } from 'commander';
import { getParty, type Custody, type PartyKind } from '../custody/index.ts';
import type { TooLong } from '../shared/lines.ts';

const ROUTE_FIELD: Partial<Record<PartyKind, string>> = {
  carrier: 'carrier_id',
  outlet: 'outlet_id',
  station: 'station_id',
  courier: 'courier_id',
};

/** The routing fields of an order handed to `id`: it and the parties above it, up to the carrier. */
export async function routeOf(c: Custody, id: string): Promise<Record<string, string>> {
  const route: Record<string, string> = {};
  for (let p = await getParty(c, id); p; p = p.parentId ? await getParty(c, p.parentId) : null) {
    const field = ROUTE_FIELD[p.kind];
    if (field === undefined) break;
    route[field] = p.id;
  }
  if (Object.keys(route).length === 0) throw new InvalidArgumentError(`--route must name a carrier, outlet, station or courier`);
  return route;
}

/** Fills `defaults` into each JSON object line that gives none of their fields; other lines pass as they are, to be refused by ingest. */
export async function* withDefaults(
  lines: AsyncIterable<string | TooLong>,
  defaults: Record<string, string>,
): AsyncGenerator<string | TooLong> {
  const routing = Object.keys(defaults).filter((k) => k !== 'merchant_id');
  for await (const line of lines) {
    if (typeof line !== 'string' || Object.keys(defaults).length === 0) {
      yield line;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield line;
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield line;
      continue;
    }
    const order = value as Record<string, unknown>;
    const filled = { ...order };
    if (defaults.merchant_id !== undefined && order.merchant_id === undefined) filled.merchant_id = defaults.merchant_id;
    if (!Object.keys(ROUTE_FIELD).some((k) => order[`${k}_id`] !== undefined)) for (const k of routing) filled[k] = defaults[k];
    yield JSON.stringify(filled);
  }
}

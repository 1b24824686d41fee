import { DAY, FAMILY, HOUR, int, pick, rng, seedOf, ts, tsOpt, weighted, type Rand } from './text.ts';
import { volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * The love supermarket (爱心超市 · 以分换物): rewards at every center and institute, and a year of
 * redemptions paid from the points the hours earned — each one debited once in the ledger, the
 * cancelled ones refunded once, stock never below zero, no balance below zero.
 */
const GOODS: [string, number][] = [
  ['食用油（5L）', 600],
  ['大米（5kg）', 400],
  ['洗衣液', 200],
  ['毛巾两条', 120],
  ['保温杯', 300],
  ['爱心理发券', 50],
  ['雨伞', 150],
  ['牙膏牙刷套装', 80],
  ['挂面（2kg）', 100],
  ['鸡蛋（30枚）', 250],
  ['抽纸一提', 90],
  ['电影票', 350],
];

export interface Reward {
  id: string;
  orgIdx: number;
  name: string;
  cost: number;
  initial: number;
  taken: number;
  createdMs: number;
}
export interface Redemption {
  id: string;
  reward: number;
  v: number;
  quantity: number;
  points: number;
  code: string;
  status: 'pending_pickup' | 'fulfilled' | 'cancelled';
  createdMs: number;
  doneMs: number | null;
  by: string | null;
}

export interface RewardsPlan {
  rewards: Reward[];
  redemptions: Redemption[];
  /** Points each volunteer spent (debits), and got back (refunds of cancelled redemptions). */
  spent: Int32Array;
  refunded: Int32Array;
}

export function rewardsPlan(w: World, points: Int32Array, count: number): RewardsPlan {
  const r = rng(seedOf(w.seed, 40, 0));
  const rewards: Reward[] = [];
  const at = new Map<number, number[]>();
  const places = [...w.districts.map((d) => d.orgIdx), ...w.institutes];
  for (const p of places) {
    const n = w.orgs[p]!.level === 'center' ? 6 : 2;
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const [name, cost] = pick(r, GOODS);
      if (seen.has(name)) continue;
      seen.add(name);
      const idx = rewards.length;
      const createdMs = w.now - int(r, 200, 700) * DAY;
      rewards.push({
        id: w.ids(createdMs, FAMILY.reward, idx),
        orgIdx: p,
        name,
        cost,
        initial: int(r, 50, 400) * Math.max(1, Math.round(w.sizes.volunteers / 40_000)),
        taken: 0,
        createdMs,
      });
      at.set(p, [...(at.get(p) ?? []), idx]);
    }
  }
  const spent = new Int32Array(w.sizes.volunteers);
  const refunded = new Int32Array(w.sizes.volunteers);
  const redemptions: Redemption[] = [];
  const statusPick = weighted(['fulfilled', 'pending_pickup', 'cancelled'] as const, [80, 12, 8]);
  for (let k = 0, tries = 0; redemptions.length < count && tries < count * 4; tries++) {
    const rr: Rand = rng(seedOf(w.seed, 41, tries));
    const v = volunteerIn(w, rr, w.vStation[Math.floor(rr() * w.sizes.volunteers)]!, 1.5);
    if (v < 0) continue;
    const st = w.orgs[w.vStation[v]!]!;
    const near = [...(at.get(st.parentIdx) ?? []), ...(at.get(w.districts[st.district]?.orgIdx ?? -1) ?? [])];
    if (!near.length) continue;
    const ri = pick(rr, near);
    const rw = rewards[ri]!;
    const quantity = rr() < 0.85 ? 1 : 2;
    const cost = rw.cost * quantity;
    const status = statusPick(rr);
    // Only what the volunteer's earned points still cover; stock is never oversold.
    if (points[v]! - spent[v]! + refunded[v]! < cost) continue;
    if (status !== 'cancelled' && rw.taken + quantity > rw.initial) continue;
    const createdMs = w.now - Math.floor(rr() * 330 * DAY) - HOUR;
    const doneMs = status === 'pending_pickup' ? null : Math.min(w.now - 60_000, createdMs + int(rr, 1, 240) * HOUR);
    spent[v]! += cost;
    if (status === 'cancelled') refunded[v]! += cost;
    else rw.taken += quantity;
    redemptions.push({
      id: w.ids(createdMs, FAMILY.redemption, k),
      reward: ri,
      v,
      quantity,
      points: cost,
      code: String(10_000_000 + ((k * 7919 + 12_345) % 90_000_000)),
      status,
      createdMs,
      doneMs,
      by: status === 'fulfilled' ? (w.desk[st.district]?.admin.userId ?? w.cityAdmin.userId) : null,
    });
    k++;
  }
  return { rewards, redemptions, spent, refunded };
}

export const REWARD_COLS = [
  'city_code',
  'id',
  'org_id',
  'pickup_org_id',
  'name',
  'description',
  'cost',
  'stock',
  'per_user_monthly_limit',
  'status',
  'created_at',
] as const;

export function* rewardRows(w: World, p: RewardsPlan): Generator<string> {
  for (const x of p.rewards) {
    const org = w.orgs[x.orgIdx]!.id;
    yield `${w.city}\t${x.id}\t${org}\t${org}\t${x.name}\t志愿服务积分兑换，凭取货码到${w.orgs[x.orgIdx]!.short}领取\t${x.cost}\t${x.initial - x.taken}\t\\N\tactive\t${ts(x.createdMs)}`;
  }
}

export const REDEMPTION_COLS = [
  'city_code',
  'id',
  'reward_id',
  'user_id',
  'quantity',
  'points',
  'pickup_code',
  'status',
  'created_at',
  'fulfilled_at',
  'fulfilled_by',
  'cancelled_at',
] as const;

export function* redemptionRows(w: World, p: RewardsPlan): Generator<string> {
  for (const d of p.redemptions) {
    const fulfilled = d.status === 'fulfilled' ? d.doneMs : null;
    const cancelled = d.status === 'cancelled' ? d.doneMs : null;
    yield `${w.city}\t${d.id}\t${p.rewards[d.reward]!.id}\t${volunteerUserId(w, d.v)}\t${d.quantity}\t${d.points}\t${d.code}\t${d.status}\t${ts(d.createdMs)}\t${tsOpt(fulfilled)}\t${d.by ?? '\\N'}\t${tsOpt(cancelled)}`;
  }
}

/** The ledger rows of the redemptions: one debit each, one refund for each cancelled one. */
export function* redemptionLedgerRows(w: World, p: RewardsPlan): Generator<string> {
  let k = 0;
  for (const d of p.redemptions) {
    const rw = p.rewards[d.reward]!;
    const org = w.orgs[rw.orgIdx]!.id;
    const note = `${rw.name} × ${d.quantity}`;
    const user = volunteerUserId(w, d.v);
    yield `${w.city}\t${w.ids(d.createdMs, FAMILY.ledger, 2 ** 40 + k++)}\t${user}\t${-d.points}\tredeem\tredemption\t${d.id}\t${note}\t${ts(d.createdMs)}\t${org}`;
    if (d.status === 'cancelled')
      yield `${w.city}\t${w.ids(d.doneMs!, FAMILY.ledger, 2 ** 40 + k++)}\t${user}\t${d.points}\tredeem_cancel\tredemption\t${d.id}\t${note}\t${ts(d.doneMs!)}\t${org}`;
  }
}

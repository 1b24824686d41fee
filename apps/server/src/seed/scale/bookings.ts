import { DAY, FAMILY, HOUR, N, esc, int, json, opt, pick, rng, seedOf, ts, tsOpt, weighted, type Rand } from './text.ts';
import { deskOf, residentUserId, volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * The venues of the city (阵地场馆) and a year of bookings of them (场馆预约), with the coming
 * two weeks booked too: a multi-purpose room at every station and a chess room at half of them,
 * a lecture hall and portable sound systems at every institute, a red cinema at every district
 * center. Each venue is booked on distinct days, inside its opening hours, so no two holding
 * bookings of one venue ever overlap (the table's exclusion constraint); past bookings are in a
 * final state (completed, no-show, cancelled, rejected), future ones pending or approved; a part
 * of the completed ones are reviewed.
 */

interface Opening {
  weekday: number;
  open: string;
  close: string;
}
const every = (days: number[], periods: [string, string][]): Opening[] => days.flatMap((weekday) => periods.map(([open, close]) => ({ weekday, open, close })));
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const STATION_HOURS = every(ALL_WEEK, [
  ['08:30', '11:30'],
  ['14:30', '21:00'],
]);
const OFFICE_HOURS = every(
  [1, 2, 3, 4, 5],
  [
    ['09:00', '12:00'],
    ['14:00', '17:30'],
  ],
);
/** Start hours (China time) and the longest stay from each, inside the hours above. */
const STATION_STARTS: [number, number][] = [
  [9, 2],
  [10, 1],
  [15, 2],
  [16, 3],
  [19, 2],
];
const OFFICE_STARTS: [number, number][] = [
  [9, 3],
  [14, 3],
  [15, 2],
];

interface VenueKind {
  type: string;
  name: string;
  capacity: number | null;
  quantity: number | null;
  requiresApproval: boolean;
  office: boolean;
  description: string;
  purposes: string[];
}
const ROOM: VenueKind = {
  type: 'multi_room',
  name: '多功能活动室',
  capacity: 40,
  quantity: null,
  requiresApproval: false,
  office: false,
  description: '桌椅可拼可移，有投影和白板，适合居民议事会、读书会、兴趣小组活动。',
  purposes: ['居民议事会', '读书会', '老年合唱团排练', '书法兴趣小组', '楼栋长例会', '四点半课堂', '手机使用培训'],
};
const CHESS: VenueKind = {
  type: 'chess_room',
  name: '棋牌室',
  capacity: 16,
  quantity: null,
  requiresApproval: false,
  office: false,
  description: '四张棋牌桌，象棋、围棋、扑克齐全。禁止吸烟，禁止赌博。',
  purposes: ['象棋友谊赛', '围棋兴趣班', '老年人棋牌活动', '楼院邻里联谊'],
};
const HALL: VenueKind = {
  type: 'lecture_hall',
  name: '宣讲厅',
  capacity: 120,
  quantity: null,
  requiresApproval: true,
  office: true,
  description: '120个座位，配LED屏、话筒和录播设备，用于理论宣讲、政策解读和专题讲座。',
  purposes: ['理论宣讲', '防范电信诈骗讲座', '健康知识讲座', '民法典宣讲', '党员冬训'],
};
const SOUND: VenueKind = {
  type: 'sound_system',
  name: '便携音响',
  capacity: null,
  quantity: 4,
  requiresApproval: false,
  office: false,
  description: '拉杆式便携音响，含两支无线话筒，续航约6小时。借用当天到所里领取，用后归还。',
  purposes: ['广场舞活动', '社区义诊宣传', '文艺汇演', '志愿服务摊位'],
};
const CINEMA: VenueKind = {
  type: 'red_cinema',
  name: '红色影院',
  capacity: 100,
  quantity: null,
  requiresApproval: true,
  office: false,
  description: '100个座位，放映《建党伟业》《长津湖》等红色影片，可预约专场观影和党日活动。',
  purposes: ['主题党日观影', '青少年红色观影', '老干部专场', '“我们的节日”电影展映'],
};

export interface Venue {
  id: string;
  orgIdx: number;
  kind: VenueKind;
  createdMs: number;
}

export function venuesPlan(w: World): Venue[] {
  const out: Venue[] = [];
  const add = (orgIdx: number, kind: VenueKind) => {
    const createdMs = w.now - (500 + (out.length % 200)) * DAY;
    out.push({ id: w.ids(createdMs, FAMILY.venue, out.length), orgIdx, kind, createdMs });
  };
  for (const s of w.stations) {
    add(s, ROOM);
    if (s % 2 === 0) add(s, CHESS);
  }
  for (const i of w.institutes) {
    add(i, HALL);
    add(i, SOUND);
  }
  for (const d of w.districts) add(d.orgIdx, CINEMA);
  return out;
}

export const RESOURCE_COLS = [
  'city_code',
  'id',
  'org_id',
  'name',
  'type',
  'description',
  'capacity',
  'quantity',
  'bookable',
  'requires_approval',
  'open_hours',
  'slot_minutes',
  'max_days_ahead',
  'max_per_week',
  'address',
  'lat',
  'lng',
  'status',
  'created_at',
  'updated_at',
] as const;

export function* resourceRows(w: World, venues: Venue[]): Generator<string> {
  for (const v of venues) {
    const o = w.orgs[v.orgIdx]!;
    const k = v.kind;
    yield [
      w.city,
      v.id,
      o.id,
      k.name,
      k.type,
      esc(k.description),
      k.capacity ?? N,
      k.quantity ?? N,
      't',
      k.requiresApproval ? 't' : 'f',
      json(k.office ? OFFICE_HOURS : STATION_HOURS),
      '60',
      k.type === 'lecture_hall' ? '45' : '30',
      k.type === 'chess_room' || k.type === 'multi_room' ? '3' : N,
      opt(o.address ? `${o.address}` : null),
      String(o.lat),
      String(o.lng),
      'active',
      ts(v.createdMs),
      ts(v.createdMs),
    ].join('\t');
  }
}

export const BOOKING_COLS = [
  'city_code',
  'id',
  'resource_id',
  'user_id',
  'starts_at',
  'ends_at',
  'exclusive',
  'quantity',
  'purpose',
  'attendees',
  'status',
  'decided_by',
  'decided_at',
  'reason',
  'checked_in_at',
  'created_at',
  'updated_at',
  'reminded_at',
] as const;
export const REVIEW_COLS = ['city_code', 'booking_id', 'resource_id', 'user_id', 'score', 'comment', 'created_at'] as const;

type Status = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'completed' | 'no_show';
interface Booking {
  id: string;
  venue: Venue;
  userId: string;
  starts: number;
  ends: number;
  status: Status;
  createdMs: number;
  decidedMs: number | null;
  purpose: string;
  attendees: number;
  quantity: number;
}

const pastPick = weighted(['completed', 'no_show', 'cancelled', 'rejected'] as const, [82, 5, 9, 4]);
const futurePick = weighted(['approved', 'pending', 'cancelled'] as const, [55, 35, 10]);
const scorePick = weighted([5, 4, 3, 2], [62, 28, 8, 2]);
const REVIEWS = ['场地干净，设备好用', '管理员很热心', '预约方便，下次还来', '空调有点冷', '椅子不够，借了几把', '很满意'];
const REJECT_REASONS = ['该时段已安排社区活动', '人数超过场地容量', '请改约工作日'];
const CANCEL_REASONS = ['活动改期', '人员临时有事', '天气原因'];

/** Midnight in China (UTC+8) of the day `offset` days from now's China date. */
function chinaMidnight(w: World, offset: number): number {
  return Math.floor((w.now + 8 * HOUR) / DAY) * DAY - 8 * HOUR + offset * DAY;
}

function bookingsOf(w: World, venue: Venue, k: number, perVenue: number): Booking[] {
  const r: Rand = rng(seedOf(w.seed, 50, k));
  const o = w.orgs[venue.orgIdx]!;
  const starts = venue.kind.office ? OFFICE_STARTS : STATION_STARTS;
  const days = new Set<number>();
  const out: Booking[] = [];
  for (let tries = 0; out.length < perVenue && tries < perVenue * 3; tries++) {
    // Mostly the past year; one in ten in the coming two weeks, and every venue has something coming.
    const offset = out.length === 0 || r() < 0.1 ? int(r, 1, 14) : -int(r, 1, 360);
    if (days.has(offset)) continue;
    const midnight = chinaMidnight(w, offset);
    const weekday = ((new Date(midnight + 8 * HOUR).getUTCDay() + 6) % 7) + 1;
    if (venue.kind.office && weekday > 5) continue;
    days.add(offset);
    const [hour, longest] = pick(r, starts);
    const startMs = midnight + hour * HOUR;
    const endMs = startMs + int(r, 1, longest) * HOUR;
    // Residents of the venue's area book most; volunteers (teams) the rest.
    const byVolunteer = r() < 0.35;
    let userId: string;
    if (byVolunteer) {
      const v = volunteerIn(w, r, venue.orgIdx, 1.2);
      if (v < 0) continue;
      userId = volunteerUserId(w, v);
    } else {
      const n = o.rHi - o.rLo;
      if (n <= 0) continue;
      userId = residentUserId(w, o.rLo + Math.floor(r() * n));
    }
    const future = startMs > w.now;
    let status: Status = future ? futurePick(r) : pastPick(r);
    if (!venue.kind.requiresApproval && (status === 'pending' || status === 'rejected')) status = future ? 'approved' : 'completed';
    const createdMs = Math.min(w.now - 60_000, startMs - int(r, 1, 10) * DAY + int(r, 0, 10) * HOUR);
    const decidedMs =
      venue.kind.requiresApproval && status !== 'pending' && status !== 'cancelled' ? Math.min(w.now - 30_000, createdMs + int(r, 1, 20) * HOUR) : null;
    out.push({
      id: w.ids(createdMs, FAMILY.booking, k * 1000 + out.length),
      venue,
      userId,
      starts: startMs,
      ends: endMs,
      status,
      createdMs,
      decidedMs,
      purpose: pick(r, venue.kind.purposes),
      attendees: venue.kind.capacity ? int(r, 3, Math.min(venue.kind.capacity, 60)) : 1,
      quantity: venue.kind.quantity ? int(r, 1, 2) : 1,
    });
  }
  return out;
}

/** How many bookings each venue has over the year, from the city's size (≈ 120,000 for Taiyuan at factor 1). */
export function bookingsPerVenue(w: World, venues: Venue[]): number {
  const target = Math.max(10, Math.round(w.sizes.residents * 0.8));
  return Math.max(2, Math.min(200, Math.round(target / Math.max(1, venues.length))));
}

export function* bookingRows(w: World, venues: Venue[]): Generator<string> {
  const per = bookingsPerVenue(w, venues);
  for (let k = 0; k < venues.length; k++) {
    const venue = venues[k]!;
    const decider = deskOf(w, venue.orgIdx).admin.userId;
    for (const b of bookingsOf(w, venue, k, per)) {
      const done = b.status === 'completed' || b.status === 'no_show';
      const updated =
        b.status === 'cancelled' ? Math.min(w.now - 1000, b.createdMs + 2 * HOUR) : done ? Math.min(w.now - 1000, b.ends + HOUR) : (b.decidedMs ?? b.createdMs);
      yield [
        w.city,
        b.id,
        venue.id,
        b.userId,
        ts(b.starts),
        ts(b.ends),
        venue.kind.quantity ? 'f' : 't',
        String(b.quantity),
        esc(b.purpose),
        String(b.attendees),
        b.status,
        b.decidedMs !== null ? decider : N,
        tsOpt(b.decidedMs),
        b.status === 'rejected'
          ? REJECT_REASONS[b.attendees % REJECT_REASONS.length]!
          : b.status === 'cancelled'
            ? CANCEL_REASONS[b.attendees % CANCEL_REASONS.length]!
            : N,
        b.status === 'completed' ? ts(b.starts + 5 * 60_000) : N,
        ts(b.createdMs),
        ts(updated),
        done ? ts(b.starts - 2 * HOUR) : N,
      ].join('\t');
    }
  }
}

export function* reviewRows(w: World, venues: Venue[]): Generator<string> {
  const per = bookingsPerVenue(w, venues);
  for (let k = 0; k < venues.length; k++) {
    const venue = venues[k]!;
    for (const b of bookingsOf(w, venue, k, per)) {
      if (b.status !== 'completed' || b.attendees % 5 >= 2) continue;
      const score = scorePick(rng(seedOf(w.seed, 51, k * 1000 + b.attendees)));
      yield [
        w.city,
        b.id,
        venue.id,
        b.userId,
        String(score),
        esc(REVIEWS[(b.attendees + score) % REVIEWS.length]!),
        ts(Math.min(w.now - 1000, b.ends + 3 * HOUR)),
      ].join('\t');
    }
  }
}

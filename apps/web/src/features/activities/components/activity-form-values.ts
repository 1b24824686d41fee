import type { TCreateActivityBody, TUpdateActivityBody } from '@wenming/contracts';
import { isoToLocalInput, localInputToIso } from '../../../lib/format';
import type { ActivityDto } from '../api/activities-api';

/** The activity form's fields, as the form holds them (times as `datetime-local` text). */
export interface ActivityFormValues {
  title?: string;
  category?: string;
  orgId?: string;
  teamId?: string;
  startsAt?: string;
  endsAt?: string;
  signupDeadline?: string;
  volunteerQuota?: number | null;
  publicQuota?: number | null;
  partyOnly?: boolean;
  teamOnly?: boolean;
  adultsOnly?: boolean;
  requiredSkills?: string[];
  address?: string;
  lat?: number | null;
  lng?: number | null;
  geofenceM?: number | null;
  description?: string;
  photoIds?: string[];
  repeat?: boolean;
  repeatWeeks?: number | null;
}

/** The fields a server error may name (shown under the field instead of above the form). */
export const FIELDS = [
  'title',
  'category',
  'orgId',
  'teamId',
  'startsAt',
  'endsAt',
  'signupDeadline',
  'volunteerQuota',
  'publicQuota',
  'partyOnly',
  'teamOnly',
  'adultsOnly',
  'requiredSkills',
  'address',
  'lat',
  'lng',
  'geofenceM',
  'description',
  'photoIds',
  'repeatWeeks',
] as const;

export const REQUIRED: [keyof ActivityFormValues, string][] = [
  ['title', '请填写活动名称'],
  ['category', '请选择服务类别'],
  ['orgId', '请选择举办阵地'],
  ['startsAt', '请选择开始时间'],
  ['endsAt', '请选择结束时间'],
];

/** A new activity's form: no residents, no conditions, and 4 weeks should 每周重复 be switched on. */
export const blankValues = (): ActivityFormValues => ({
  publicQuota: 0,
  partyOnly: false,
  teamOnly: false,
  adultsOnly: false,
  photoIds: [],
  repeat: false,
  repeatWeeks: 4,
});

const WEEK_MS = 7 * 86_400_000;
export const MAX_PHOTOS = 9;

/** The start and end of each occurrence of a weekly class (China has no daylight saving: a week is 7 × 24 h). */
export function weeklyOccurrences(startsAt: string, endsAt: string, weeks: number): { startsAt: string; endsAt: string }[] {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt);
  return Array.from({ length: weeks }, (_, k) => ({ startsAt: new Date(s + k * WEEK_MS).toISOString(), endsAt: new Date(e + k * WEEK_MS).toISOString() }));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The form's values for an existing draft. A deadline equal to the start is shown empty ("until the start"). */
export function valuesOf(a: ActivityDto): ActivityFormValues {
  return {
    title: a.title,
    category: a.category,
    orgId: a.orgId,
    teamId: a.teamId ?? undefined,
    startsAt: isoToLocalInput(a.startsAt),
    endsAt: isoToLocalInput(a.endsAt),
    signupDeadline: a.signupDeadline === a.startsAt ? '' : isoToLocalInput(a.signupDeadline),
    volunteerQuota: a.volunteerQuota,
    publicQuota: a.publicQuota,
    partyOnly: a.partyOnly,
    teamOnly: a.teamOnly,
    adultsOnly: a.adultsOnly,
    requiredSkills: a.requiredSkills,
    address: a.address ?? '',
    lat: a.lat,
    lng: a.lng,
    geofenceM: a.geofenceM,
    description: a.description ?? '',
    photoIds: a.photoIds,
  };
}

/** What the form sends, before the schema checks it: trimmed text, empty optional fields left out. */
export function bodyOf(v: ActivityFormValues, editing: boolean) {
  const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const num = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);
  return {
    orgId: v.orgId,
    title: v.title ?? '',
    category: v.category,
    startsAt: localInputToIso(v.startsAt),
    endsAt: localInputToIso(v.endsAt),
    signupDeadline: localInputToIso(v.signupDeadline),
    volunteerQuota: v.volunteerQuota,
    publicQuota: num(v.publicQuota),
    teamId: v.teamId || undefined,
    partyOnly: v.partyOnly || undefined,
    teamOnly: v.teamOnly || undefined,
    adultsOnly: v.adultsOnly || undefined,
    requiredSkills: v.requiredSkills?.length ? v.requiredSkills : undefined,
    address: text(v.address),
    lat: num(v.lat),
    lng: num(v.lng),
    geofenceM: num(v.geofenceM),
    description: text(v.description),
    photoIds: v.photoIds?.length ? v.photoIds : undefined,
    repeatWeeks: !editing && v.repeat ? num(v.repeatWeeks) : undefined,
  };
}

/**
 * What PATCH /activities/:id needs: only the fields that differ from the draft as loaded;
 * an optional field emptied in the form is sent as `null` (cleared).
 */
export function changesOf(a: ActivityDto, initial: ActivityFormValues, body: TCreateActivityBody, v: ActivityFormValues): TUpdateActivityBody {
  const patch: Record<string, unknown> = {};
  if (body.title !== a.title) patch.title = body.title;
  if (body.category !== a.category) patch.category = body.category;
  // Times: compared as the form shows them (minutes), so an untouched time is never sent.
  if (v.startsAt !== initial.startsAt) patch.startsAt = body.startsAt;
  if (v.endsAt !== initial.endsAt) patch.endsAt = body.endsAt;
  if ((v.signupDeadline ?? '') !== (initial.signupDeadline ?? '')) patch.signupDeadline = body.signupDeadline ?? null;
  if (body.volunteerQuota !== a.volunteerQuota) patch.volunteerQuota = body.volunteerQuota;
  if ((body.publicQuota ?? 0) !== a.publicQuota) patch.publicQuota = body.publicQuota ?? 0;
  for (const k of ['partyOnly', 'teamOnly', 'adultsOnly'] as const) if ((body[k] ?? false) !== a[k]) patch[k] = body[k] ?? false;
  if (!sameList(body.requiredSkills ?? [], a.requiredSkills)) patch.requiredSkills = body.requiredSkills ?? [];
  for (const k of ['description', 'address'] as const) if ((body[k] ?? null) !== (a[k] ?? null)) patch[k] = body[k] ?? null;
  // Latitude and longitude go together (the server checks them as a pair).
  if ((body.lat ?? null) !== a.lat || (body.lng ?? null) !== a.lng) {
    patch.lat = body.lat ?? null;
    patch.lng = body.lng ?? null;
  }
  if ((body.geofenceM ?? null) !== a.geofenceM) patch.geofenceM = body.geofenceM ?? null;
  if (!sameList(body.photoIds ?? [], a.photoIds)) patch.photoIds = body.photoIds ?? [];
  return patch as TUpdateActivityBody;
}

import { createHash } from 'node:crypto';
import { idNumberFacts, isValidIdNumber, isValidPhone, maskIdNumber } from '@wenming/domain';
import { AppError, duplicate, notFound, ruleViolation } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, inScope, MANAGE_ROLES, requireActor, scopeOf, type RequestCtx } from '../../../lib/policy.ts';
import { loadWorkbook, readSheet, type ReadRow } from '../exchange-sheets.ts';
import { EXCHANGE_LIMITS, ID_TYPE_ALIASES, NATIONAL_LAYOUT, POLITICAL_IN, type RecordKey, type VolunteerKey } from '../national-layout.ts';
import type { ExchangeKit } from '../exchange-kit.ts';

/** Accounts made by this import have no password until the person sets one (activation code, SMS sign-in). */
export const EXCHANGE_NO_PASSWORD = '!national-import-no-password';

const NAME_RE = /^[\p{L}\p{M}·•.\s]+$/u;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NationalImportResult {
  volunteers: { created: number; matched: number };
  records: { created: number; skipped: number };
  hours: number;
}

interface Problem {
  sheet: string;
  row: number;
  header: string;
  reason: string;
}

const header = (layout: { columns: readonly { key: string; header: string }[] }, key: string) => layout.columns.find((c) => c.key === key)?.header ?? key;

/** `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305` → `2024-03-05`; null when not a real date. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** `9:00`, `09:00:00` → `09:00`; null when not a time of day. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** Hours of one record: more than 0, at most 24, with at most one decimal (the platform keeps hours to 0.1, and never rounds what it is given). */
export function parseHours(text: string): number | null {
  if (!/^\d{1,2}(\.\d)?0*$/.test(text)) return null;
  const h = Number(text);
  return h > 0 && h <= 24 ? h : null;
}

const birthOk = (id: string, today: string) => {
  const day = parseDay(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
  return !!day && day >= '1900-01-01' && day <= today;
};

/**
 * Loads a file in the national layout into one site (`orgId`, in the caller's scope): the
 * volunteers of 志愿者信息 not yet registered in the city (matched by the keyed hash of the ID
 * number, never by name) and the verified hours of 服务记录. All of it or nothing: a file with
 * any bad row writes nothing and answers 422 with every problem by sheet, row and column. Loading
 * the same file again creates nothing (records are keyed by their number in the file).
 */
export async function importNational(deps: ExchangeKit, ctx: RequestCtx, input: { orgId: string; data: Buffer }): Promise<NationalImportResult> {
  const actor = requireActor(ctx);
  const site = await deps.orgs.byId(input.orgId);
  if (!site) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  assertInScope(actor, MANAGE_ROLES, { cityCode: site.cityCode, path: site.path });
  if (site.level === 'city') throw ruleViolation({ zh: '请选择实践中心、所、站或点作为志愿者的注册阵地，不能是市级', en: 'Choose a site below the city' });
  const city = site.cityCode;
  const scope = scopeOf(actor, MANAGE_ROLES);
  const today = deps.localDay(deps.clock());

  const book = await loadWorkbook(input.data);
  const VL = NATIONAL_LAYOUT.volunteers;
  const RL = NATIONAL_LAYOUT.records;
  const vRows = readSheet<VolunteerKey>(book, VL, { optional: true, maxRows: EXCHANGE_LIMITS.maxVolunteers });
  const rRows = readSheet<RecordKey>(book, RL, { optional: true, maxRows: EXCHANGE_LIMITS.maxRecords });
  if (!vRows.length && !rRows.length)
    throw new AppError('VALIDATION_FAILED', { zh: '文件中没有数据：需要“志愿者信息”或“服务记录”工作表，第一行为表头', en: 'The file has no rows' }, [
      { path: 'file', message: '文件中没有数据：需要“志愿者信息”或“服务记录”工作表，第一行为表头' },
    ]);

  const problems: Problem[] = [];
  const bad = new Set<string>();
  const add = (sheet: string, row: number, h: string, reason: string) => {
    problems.push({ sheet, row, header: h, reason });
    bad.add(`${sheet}:${row}`);
  };
  /** Records a problem; false, for `ok = no(…)`. */
  const no = (sheet: string, row: number, h: string, reason: string): false => {
    add(sheet, row, h, reason);
    return false;
  };
  for (const r of vRows) for (const p of r.problems) add(VL.sheet, r.row, header(VL, p.key), p.reason);
  for (const r of rRows) for (const p of r.problems) add(RL.sheet, r.row, header(RL, p.key), p.reason);

  const idOf = (raw: string) => raw.replace(/\s/g, '').toUpperCase();
  const checkId = (sheet: string, layout: typeof VL | typeof RL, r: ReadRow<string>, raw: string): string | null => {
    const id = idOf(raw);
    const h = header(layout, 'idNumber');
    if (r.problems.some((p) => p.key === 'idNumber')) return null;
    if (!id) add(sheet, r.row, h, '证件号码不能为空');
    else if (!/^\d{17}[\dX]$/.test(id)) add(sheet, r.row, h, '证件号码应为18位居民身份证号码（前17位为数字，末位为数字或X）');
    else if (!birthOk(id, today)) add(sheet, r.row, h, '证件号码中的出生日期不正确');
    else if (!isValidIdNumber(id)) add(sheet, r.row, h, '证件号码校验位不正确，请核对');
    else return id;
    return null;
  };

  // --- 志愿者信息: each row on its own --------------------------------------------------------
  interface VIn {
    row: number;
    realName: string;
    idNumber: string;
    hash: string;
    phone: string;
    political: 'party' | 'league' | 'masses';
  }
  const vIn: VIn[] = [];
  const firstRowOfId = new Map<string, number>();
  const firstRowOfPhone = new Map<string, number>();
  for (const r of vRows) {
    const v = r.values;
    const name = v.realName.replace(/\s+/g, ' ').trim();
    let ok = true;
    if (!name) ok = no(VL.sheet, r.row, header(VL, 'realName'), '姓名不能为空');
    else if (name.length > 50 || !NAME_RE.test(name)) ok = no(VL.sheet, r.row, header(VL, 'realName'), '姓名只能包含文字（少数民族姓名可用“·”），最多50个字');
    if (v.idType.trim() && !ID_TYPE_ALIASES.includes(v.idType.replace(/\s/g, '')))
      ok = no(VL.sheet, r.row, header(VL, 'idType'), `本平台只登记居民身份证（该行为“${v.idType.trim().slice(0, 20)}”），请在全国系统中办理`);
    const id = checkId(VL.sheet, VL, r, v.idNumber);
    if (!id) ok = false;
    else if (firstRowOfId.has(id)) ok = no(VL.sheet, r.row, header(VL, 'idNumber'), `与第${firstRowOfId.get(id)}行的证件号码重复`);
    else firstRowOfId.set(id, r.row);
    const phone = v.phone.replace(/[\s\-()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (!r.problems.some((p) => p.key === 'phone') && phone && !isValidPhone(phone))
      ok = no(VL.sheet, r.row, header(VL, 'phone'), '手机号码应为11位、以1开头的大陆手机号');
    if (v.birthDate.trim() && id && parseDay(v.birthDate.trim()) !== `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)
      ok = no(VL.sheet, r.row, header(VL, 'birthDate'), '出生日期与证件号码不一致');
    const genderText = v.gender.trim();
    if (genderText && id && genderText !== (idNumberFacts(id).gender === 'male' ? '男' : '女'))
      ok = no(VL.sheet, r.row, header(VL, 'gender'), '性别与证件号码不一致');
    if (ok && id)
      vIn.push({
        row: r.row,
        realName: name,
        idNumber: id,
        hash: deps.pii.hash(id),
        phone,
        political: POLITICAL_IN[v.politicalStatus.replace(/\s/g, '')] ?? 'masses',
      });
  }

  // --- 服务记录: each row on its own ---------------------------------------------------------
  interface RIn {
    row: number;
    realName: string;
    idNumber: string;
    hash: string;
    day: string;
    start: string | null;
    end: string | null;
    hours: number;
    project: string | null;
    place: string | null;
    content: string | null;
    organisation: string | null;
    ref: string;
  }
  const rIn: RIn[] = [];
  const firstRowOfRecord = new Map<string, number>();
  const text = (r: ReadRow<RecordKey>, key: RecordKey, max: number): string | null | false => {
    const t = r.values[key].replace(/\s+/g, ' ').trim();
    if (t.length > max) {
      add(RL.sheet, r.row, header(RL, key), `最多${max}个字`);
      return false;
    }
    return t || null;
  };
  for (const r of rRows) {
    const v = r.values;
    let ok = !r.problems.length;
    const id = checkId(RL.sheet, RL, r, v.idNumber);
    if (!id) ok = false;
    const day = parseDay(v.date.trim());
    if (!r.problems.some((p) => p.key === 'date')) {
      if (!v.date.trim()) ok = no(RL.sheet, r.row, header(RL, 'date'), '服务日期不能为空');
      else if (!day) ok = no(RL.sheet, r.row, header(RL, 'date'), '服务日期应为日期，如 2024-03-05');
      else if (day > today || day < '1990-01-01') ok = no(RL.sheet, r.row, header(RL, 'date'), '服务日期不能晚于今天，也不能早于1990年');
    }
    const start = v.startTime.trim() ? parseTime(v.startTime.trim()) : null;
    const end = v.endTime.trim() ? parseTime(v.endTime.trim()) : null;
    if (v.startTime.trim() && !start) ok = no(RL.sheet, r.row, header(RL, 'startTime'), '开始时间应为时:分，如 09:00');
    if (v.endTime.trim() && !end) ok = no(RL.sheet, r.row, header(RL, 'endTime'), '结束时间应为时:分，如 11:30');
    if (start && end && end < start) ok = no(RL.sheet, r.row, header(RL, 'endTime'), '结束时间早于开始时间');
    if (!!start !== !!end && (start || end)) ok = no(RL.sheet, r.row, header(RL, start ? 'endTime' : 'startTime'), '开始时间和结束时间应同时填写或同时不填');
    const hours = parseHours(v.hours.trim());
    if (!r.problems.some((p) => p.key === 'hours') && hours === null)
      ok = no(RL.sheet, r.row, header(RL, 'hours'), '服务时长应为大于0、不超过24的小时数，最多一位小数（如 2.5）');
    const project = text(r, 'project', 100);
    const place = text(r, 'place', 200);
    const content = text(r, 'content', 500);
    const organisation = text(r, 'organisation', 100);
    const refText = v.recordNo.trim();
    if (refText.length > 64) ok = no(RL.sheet, r.row, header(RL, 'recordNo'), '记录编号最多64个字符');
    if (project === false || place === false || content === false || organisation === false) ok = false;
    if (!ok || !id || !day || hours === null) continue;
    const ref =
      refText ||
      `内容:${createHash('sha256')
        .update([day, start ?? '', end ?? '', hours, project ?? '', place ?? '', content ?? '', organisation ?? ''].join('\u0000'))
        .digest('hex')
        .slice(0, 32)}`;
    const key = `${id}:${ref}`;
    if (firstRowOfRecord.has(key)) {
      add(RL.sheet, r.row, header(RL, refText ? 'recordNo' : 'date'), `与第${firstRowOfRecord.get(key)}行是同一条服务记录`);
      continue;
    }
    firstRowOfRecord.set(key, r.row);
    rIn.push({
      row: r.row,
      realName: v.realName.replace(/\s+/g, ' ').trim(),
      idNumber: id,
      hash: deps.pii.hash(id),
      day,
      start,
      end,
      hours,
      project: project || null,
      place: place || null,
      content: content || null,
      organisation: organisation || null,
      ref,
    });
  }

  // --- against the database (read before the transaction: it only writes) ----------------------
  const hashes = [...new Set([...vIn.map((v) => v.hash), ...rIn.map((r) => r.hash)])];
  const existing = new Map((await deps.exchange.volunteersByHash(city, hashes)).map((v) => [v.hash, v]));
  const fromSheet = new Map(vIn.map((v) => [v.hash, v]));
  const toCreate: (VIn & { userId: string; newUser: boolean; volunteerId: string })[] = [];
  let matched = 0;
  const newByPhone = vIn.filter((v) => !existing.has(v.hash));
  const known = new Map((await deps.exchange.usersByPhone([...new Set(newByPhone.map((v) => v.phone).filter(Boolean))])).map((u) => [u.phone, u]));
  const alreadyVolunteers = await deps.exchange.volunteerUserIds(
    city,
    [...known.values()].map((u) => u.id),
  );
  for (const v of vIn) {
    const there = existing.get(v.hash);
    if (there) {
      if (there.realName !== v.realName) add(VL.sheet, v.row, header(VL, 'realName'), '该证件号码已登记为志愿者，但登记的姓名与本行不一致，请核对');
      else matched++;
      continue;
    }
    if (!v.phone) {
      add(VL.sheet, v.row, header(VL, 'phone'), '新登记的志愿者须填写手机号码（用于登录和接收通知）');
      continue;
    }
    if (firstRowOfPhone.has(v.phone)) {
      add(VL.sheet, v.row, header(VL, 'phone'), `与第${firstRowOfPhone.get(v.phone)}行的手机号码重复`);
      continue;
    }
    firstRowOfPhone.set(v.phone, v.row);
    const u = known.get(v.phone);
    if (u && alreadyVolunteers.has(u.id)) add(VL.sheet, v.row, header(VL, 'phone'), '该手机号码已登记为另一名志愿者');
    else if (u && u.name.trim() !== v.realName) add(VL.sheet, v.row, header(VL, 'phone'), '该手机号码已被他人注册（注册姓名与本行姓名不一致），请核对');
    else toCreate.push({ ...v, userId: u?.id ?? newId(), newUser: !u, volunteerId: newId() });
  }

  // Records: whose they are, and whether they are already here.
  const volunteerOf = new Map<string, { id: string; name: string }>();
  for (const v of toCreate) volunteerOf.set(v.hash, { id: v.volunteerId, name: v.realName });
  for (const [hash, v] of existing) volunteerOf.set(hash, { id: v.id, name: v.realName });
  const ours = new Map(
    (
      await deps.exchange.recordsById(
        city,
        rIn.map((r) => r.ref.toLowerCase()).filter((ref) => UUID_RE.test(ref)),
      )
    ).map((r) => [r.id, r.volunteerId]),
  );
  const sourceIdOf = (r: RIn) => {
    const h = createHash('sha256').update(`national-record:${r.ref}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const recordsToWrite: (RIn & { volunteerId: string; sourceId: string })[] = [];
  let skipped = 0;
  for (const r of rIn) {
    const v = volunteerOf.get(r.hash);
    const sheetV = fromSheet.get(r.hash);
    if (!v) {
      if (!sheetV || !bad.has(`${VL.sheet}:${sheetV.row}`))
        add(
          RL.sheet,
          r.row,
          header(RL, 'idNumber'),
          sheetV ? '该志愿者未能登记（见“志愿者信息”中的问题）' : '该证件号码的志愿者尚未登记：请把其身份信息列入“志愿者信息”工作表',
        );
      continue;
    }
    const there = existing.get(r.hash);
    if (there && !inScope(scope, { cityCode: city, path: there.orgPath })) {
      add(RL.sheet, r.row, header(RL, 'idNumber'), '该志愿者注册在您管辖范围以外的阵地，其服务时长请由所在地区导入');
      continue;
    }
    if (r.realName && r.realName !== v.name) {
      add(RL.sheet, r.row, header(RL, 'realName'), '姓名与该证件号码登记的志愿者不一致');
      continue;
    }
    const ownerOfOurs = ours.get(r.ref.toLowerCase());
    if (ownerOfOurs !== undefined) {
      if (ownerOfOurs !== v.id) add(RL.sheet, r.row, header(RL, 'recordNo'), '该记录编号属于本平台另一名志愿者的服务记录');
      else skipped++;
      continue;
    }
    recordsToWrite.push({ ...r, volunteerId: v.id, sourceId: sourceIdOf(r) });
  }

  if (problems.length) {
    problems.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet === VL.sheet ? -1 : 1));
    const shown = problems.slice(0, EXCHANGE_LIMITS.maxErrorsShown);
    const rows = new Set(problems.map((p) => `${p.sheet}:${p.row}`)).size;
    const zh = `文件中有 ${rows} 行有问题，未导入任何数据；请按下列行号修改后重新导入${problems.length > shown.length ? `（仅列出前 ${shown.length} 处）` : ''}`;
    throw new AppError(
      'VALIDATION_FAILED',
      { zh, en: `${rows} rows have problems; nothing was imported` },
      shown.map((p) => ({ path: `${p.sheet}.${p.row}.${p.header}`, message: `${p.sheet}第${p.row}行“${p.header}”：${p.reason}` })),
    );
  }

  const already = await deps.exchange.importedKeys(
    city,
    recordsToWrite.map((r) => r.sourceId),
  );
  const fresh = recordsToWrite.filter((r) => !already.has(`${r.volunteerId}:${r.sourceId}`));
  skipped += recordsToWrite.length - fresh.length;

  const result = await deps.db.transaction(async (tx) => {
    const newUsers = toCreate.filter((v) => v.newUser);
    const made = await deps.exchange.insertUsers(
      newUsers.map((v) => ({ id: v.userId, phone: v.phone, name: v.realName, passwordHash: EXCHANGE_NO_PASSWORD })),
      tx,
    );
    if (made.size !== newUsers.length)
      throw duplicate({ zh: '导入期间有手机号码刚刚被注册，未导入任何数据；请重新导入', en: 'A phone was registered meanwhile; nothing was imported' });
    const inserted = await deps.exchange.insertVolunteers(
      toCreate.map((v) => {
        const facts = idNumberFacts(v.idNumber);
        return {
          cityCode: city,
          id: v.volunteerId,
          userId: v.userId,
          orgId: site.id,
          realName: v.realName,
          idNumberEnc: deps.pii.encrypt(v.idNumber),
          idNumberHash: v.hash,
          idNumberMasked: maskIdNumber(v.idNumber),
          birthYear: facts.birthYear,
          gender: facts.gender,
          skills: [],
          specialties: [],
          politicalStatus: v.political,
          workUnit: null,
          availability: [],
          lat: null,
          lng: null,
          status: 'active' as const,
          totalHours: 0,
        };
      }),
      tx,
    );
    if (inserted.size !== toCreate.length)
      throw duplicate({ zh: '导入期间有志愿者刚刚被登记，未导入任何数据；请重新导入', en: 'A volunteer was registered meanwhile; nothing was imported' });
    const decidedAt = deps.clock();
    const written = await deps.exchange.insertRecords(
      fresh.map((r) => ({
        cityCode: city,
        id: newId(),
        volunteerId: r.volunteerId,
        orgId: site.id,
        teamId: null,
        sourceType: 'manual' as const,
        sourceId: r.sourceId,
        hours: r.hours,
        startedAt: r.start ? new Date(`${r.day}T${r.start}:00+08:00`) : null,
        endedAt: new Date(`${r.day}T${r.end ?? '00:00'}:00+08:00`),
        title: r.project,
        note: r.content,
        place: r.place,
        externalOrg: r.organisation,
        externalRef: r.ref.length <= 64 ? r.ref : r.ref.slice(0, 64),
        status: 'verified' as const,
        createdBy: actor.userId,
        decidedBy: actor.userId,
        decidedAt,
        decisionNote: '自全国志愿服务信息系统版式文件导入',
      })),
      tx,
    );
    const byVolunteer = new Map<string, number>();
    for (const w of written) byVolunteer.set(w.volunteerId, Math.round(((byVolunteer.get(w.volunteerId) ?? 0) + Number(w.hours)) * 10) / 10);
    await deps.exchange.addHours(city, byVolunteer, tx);
    const hours = Math.round([...byVolunteer.values()].reduce((s, h) => s + h, 0) * 10) / 10;
    const out: NationalImportResult = {
      volunteers: { created: toCreate.length, matched },
      records: { created: written.length, skipped: skipped + fresh.length - written.length },
      hours,
    };
    await deps.audit.record(
      ctx,
      {
        cityCode: city,
        action: 'volunteer.national_import',
        entityType: 'org',
        entityId: site.id,
        orgPath: site.path,
        after: { ...out, created: toCreate.map((v) => v.volunteerId) },
      },
      tx,
    );
    return out;
  });
  return result;
}

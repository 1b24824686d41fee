// Volunteer import and export: the dependencies, the background import runner and the helpers its use cases share (use-cases/*.ts).
import { z } from 'zod';
import type { VolunteerImportField, ZListVolunteersQuery } from '@wenming/contracts';
import { idNumberFacts, isValidIdNumber, isValidPhone, maskIdNumber, STAR_THRESHOLDS } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { newCityId, newId } from '../../lib/ids.ts';
import type { Pii } from '../../lib/pii.ts';
import { inScope, scopeCondition, type RequestCtx, type Scope } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { VolunteersRepository } from './volunteers.repository.ts';
import type { ImportErrorRow, SiteRow, TeamRow, VolunteerBulkRepository } from './volunteer-bulk.repository.ts';
import { SAMPLE_ID_NUMBER, type ColumnKey, type SheetRow } from './volunteer-sheets.ts';

/** Rows per transaction: a batch is committed whole, with the job's counts. */
export const IMPORT_BATCH_ROWS = 500;
/** A running job whose row was not touched for this long was orphaned by a stopped process. */
export const STALE_MS = 10 * 60_000;
export const MAX_ERRORS_SHOWN = 1000;
/** Imported accounts have no password until the person sets one: this never matches a login. */
export const NO_PASSWORD = '!imported-no-password';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NAME_RE = /^[\p{L}\p{M}·•.\s]+$/u;
export const POLITICAL: Record<string, 'party' | 'league' | 'masses'> = {
  中共党员: 'party',
  党员: 'party',
  中共预备党员: 'party',
  预备党员: 'party',
  party: 'party',
  共青团员: 'league',
  团员: 'league',
  league: 'league',
  群众: 'masses',
  masses: 'masses',
};

export interface Prepared {
  row: number;
  values: Record<ColumnKey, string>;
  errors: { field: VolunteerImportField; reason: string }[];
  realName: string;
  idNumber: string;
  hash: string;
  phone: string;
  skills: string[];
  political: 'party' | 'league' | 'masses';
  workUnit: string | null;
  site?: SiteRow;
  teamId?: string;
}

export interface VolunteerBulkDeps {
  db: Db;
  bulk: VolunteerBulkRepository;
  volunteers: VolunteersRepository;
  orgs: OrgsRepository;
  catalogues: ReturnType<typeof createCataloguesRepository>;
  audit: AuditRepository;
  pii: Pii;
  log?: (message: string, err?: unknown) => void;
  batchRows?: number;
}

export const ZUnitCursor = z.object({ h: z.number(), u: z.string() });

export function birthDateValid(id: string): boolean {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && date.getTime() <= Date.now();
}

export function normalizePhone(raw: string): string {
  const p = raw.replace(/[\s\-()（）]/g, '');
  return p.length === 13 && p.startsWith('86') ? p.slice(2) : p.startsWith('+86') ? p.slice(3) : p;
}

/** The checks of one row that need no database (the file-level duplicates come after). */
export function checkRow(r: SheetRow, categories: Map<string, string>): Prepared {
  const errors: Prepared['errors'] = [...r.problems];
  const failed = new Set(r.problems.map((p) => p.field));
  const v = r.values;
  const add = (field: VolunteerImportField, reason: string) => {
    if (!failed.has(field)) errors.push({ field, reason });
    failed.add(field);
  };

  const realName = v.realName.replace(/\s+/g, ' ').trim();
  if (!failed.has('realName')) {
    if (!realName) add('realName', '姓名不能为空');
    else if (realName.length > 50) add('realName', '姓名最多50个字');
    else if (!NAME_RE.test(realName)) add('realName', '姓名只能包含文字（少数民族姓名可用“·”）');
  }

  const idNumber = v.idNumber.replace(/\s/g, '').toUpperCase();
  if (!failed.has('idNumber')) {
    if (!idNumber) add('idNumber', '身份证号不能为空');
    else if (idNumber === SAMPLE_ID_NUMBER) add('row', '这是模板中的示例行，导入前请删除');
    else if (!/^\d{17}[\dX]$/.test(idNumber)) add('idNumber', '身份证号应为18位（前17位为数字，末位为数字或X）');
    else if (!birthDateValid(idNumber)) add('idNumber', '身份证号中的出生日期不正确');
    else if (!isValidIdNumber(idNumber)) add('idNumber', '身份证号校验位不正确，请核对');
  }

  const phone = normalizePhone(v.phone);
  if (!failed.has('phone')) {
    if (!phone) add('phone', '手机号不能为空');
    else if (!isValidPhone(phone)) add('phone', '手机号应为11位、以1开头的大陆手机号');
  }

  if (!failed.has('site') && !v.site.trim()) add('site', '报到阵地不能为空');

  const skills: string[] = [];
  if (!failed.has('skills') && v.skills.trim()) {
    const unknown: string[] = [];
    for (const part of v.skills.split(/[、,，;；/\s]+/).filter(Boolean)) {
      const code = categories.get(part) ?? categories.get(part.toLowerCase());
      if (code) {
        if (!skills.includes(code)) skills.push(code);
      } else unknown.push(part);
    }
    if (unknown.length) add('skills', `未知的技能：${unknown.slice(0, 5).join('、')}（请填写“技能类别”中的名称，用顿号分隔）`);
    else if (skills.length > 20) add('skills', '技能最多20项');
  }

  let political: Prepared['political'] = 'masses';
  if (!failed.has('politicalStatus') && v.politicalStatus.trim()) {
    const p = POLITICAL[v.politicalStatus.replace(/\s/g, '')];
    if (p) political = p;
    else add('politicalStatus', '政治面貌只能填：中共党员、共青团员或群众');
  }

  const workUnit = v.workUnit.trim() || null;
  if (!failed.has('workUnit') && workUnit && workUnit.length > 100) add('workUnit', '工作单位最多100个字');
  if (!failed.has('team') && v.team.trim().length > 100) add('team', '团队名称最多100个字');

  return { row: r.row, values: v, errors, realName, idNumber, hash: '', phone, skills, political, workUnit };
}

/** What every use case of the module shares: its dependencies, the clock, and the helpers that load, check and present. */
export function createVolunteerBulkKit(deps: VolunteerBulkDeps) {
  const { db, bulk, orgs, audit, pii } = deps;
  const batchRows = deps.batchRows ?? IMPORT_BATCH_ROWS;
  const log = deps.log ?? (() => {});
  const running = new Map<string, Promise<void>>();
  /** Set once by drain(): background imports stop between batches. */
  const shutdown = { stopping: false };

  async function categoryMap() {
    const map = new Map<string, string>();
    const all = await deps.catalogues.categories();
    for (const c of all) {
      map.set(c.name, c.code);
      map.set(c.code, c.code);
    }
    // Short forms people write (医疗 → 医疗健身, 法律 → 法律服务) when only one name contains them.
    for (const c of all) {
      for (let len = 2; len < c.name.length; len++) {
        for (let i = 0; i + len <= c.name.length; i++) {
          const part = c.name.slice(i, i + len);
          if (map.has(part)) continue;
          const owners = all.filter((o) => o.name.includes(part));
          if (owners.length === 1) map.set(part, c.code);
        }
      }
    }
    return map;
  }

  /** Resolves every row's 报到阵地 and 团队 against the database and the importer's scope. */
  async function resolvePlaces(rows: Prepared[], scope: Scope) {
    const siteValues = [...new Set(rows.filter((r) => !r.errors.some((e) => e.field === 'site')).map((r) => r.values.site.trim()))];
    const sites = await bulk.sitesByNameOrId(
      siteValues.filter((s) => !UUID_RE.test(s)),
      siteValues.filter((s) => UUID_RE.test(s)).map((s) => s.toLowerCase()),
    );
    const siteFor = new Map<string, SiteRow | string>();
    for (const value of siteValues) {
      const isId = UUID_RE.test(value);
      const matches = sites.filter((s) => (isId ? s.id === value.toLowerCase() : s.name === value));
      const mine = matches.filter((s) => inScope(scope, { cityCode: s.cityCode, path: s.path }));
      if (!matches.length) siteFor.set(value, '找不到该阵地，请填写“阵地列表”中的全称或阵地编号');
      else if (!mine.length) siteFor.set(value, '该阵地不在您的管辖范围内');
      else if (mine.length > 1) siteFor.set(value, '有多个同名阵地，请改填阵地编号（见“阵地列表”）');
      else if (mine[0]!.level === 'city') siteFor.set(value, '不能报到到市级，请填写实践中心、所、站或点');
      else siteFor.set(value, mine[0]!);
    }
    const teamValues = [...new Set(rows.map((r) => r.values.team.trim()).filter(Boolean))];
    const teams = await bulk.teamsByNameOrId(
      teamValues.filter((s) => !UUID_RE.test(s)),
      teamValues.filter((s) => UUID_RE.test(s)).map((s) => s.toLowerCase()),
    );
    for (const r of rows) {
      const site = siteFor.get(r.values.site.trim());
      if (typeof site === 'string') r.errors.push({ field: 'site', reason: site });
      else if (site) r.site = site;
      const tv = r.values.team.trim();
      if (!tv || r.errors.some((e) => e.field === 'team')) continue;
      const isId = UUID_RE.test(tv);
      let found: TeamRow[] = teams.filter(
        (t) => (isId ? t.id === tv.toLowerCase() : t.name === tv) && t.status === 'active' && inScope(scope, { cityCode: t.cityCode, path: t.orgPath }),
      );
      if (r.site) found = found.filter((t) => t.cityCode === r.site!.cityCode);
      // Same-named teams at several sites: the one at the volunteer's site or above it.
      if (found.length > 1 && r.site) {
        const above = found.filter((t) => r.site!.path === t.orgPath || r.site!.path.startsWith(`${t.orgPath}.`));
        if (above.length) found = above;
      }
      if (!found.length) r.errors.push({ field: 'team', reason: '找不到该团队，或团队不在您的管辖范围内' });
      else if (found.length > 1) r.errors.push({ field: 'team', reason: '有多个同名团队，请改填团队编号' });
      else r.teamId = found[0]!.id;
    }
  }

  /** Marks the second and later rows with an ID number or phone already in the file. */
  function markFileDuplicates(rows: Prepared[]) {
    const ids = new Map<string, number>();
    const phones = new Map<string, number>();
    for (const r of rows) {
      const idOk = !r.errors.some((e) => e.field === 'idNumber' || e.field === 'row');
      if (idOk && r.idNumber) {
        const first = ids.get(r.idNumber);
        if (first !== undefined) r.errors.push({ field: 'idNumber', reason: `与第${first}行的身份证号重复` });
        else ids.set(r.idNumber, r.row);
      }
      if (!r.errors.some((e) => e.field === 'phone') && r.phone) {
        const first = phones.get(r.phone);
        if (first !== undefined) r.errors.push({ field: 'phone', reason: `与第${first}行的手机号重复` });
        else phones.set(r.phone, r.row);
      }
    }
  }

  function errorRows(importId: string, rows: Prepared[]): ImportErrorRow[] {
    const out: ImportErrorRow[] = [];
    for (const r of rows) {
      if (!r.errors.length) continue;
      const values: Record<string, string> = { ...r.values, idNumber: r.values.idNumber ? maskIdNumber(r.values.idNumber.trim()) : '' };
      r.errors.forEach((e, seq) => out.push({ importId, rowNumber: r.row, seq, field: e.field, reason: e.reason, rowValues: values }));
    }
    return out;
  }

  /** One batch in one transaction: the rows that pass are written whole, the others reported. */
  async function writeBatch(jobId: string, ctx: RequestCtx, batch: Prepared[]) {
    // The checks read before the transaction: they only give the reasons of refused rows (the
    // writes below are conditional: unique keys, ON CONFLICT DO NOTHING), and Citus refuses a
    // write to users (a reference table) in a transaction that has read volunteers across shards.
    const good = () => batch.filter((r) => !r.errors.length);
    for (const r of good()) r.hash = pii.hash(r.idNumber);
    const taken = await bulk.existingIdHashes(
      good().map((r) => ({ cityCode: r.site!.cityCode, hash: r.hash })),
      db,
    );
    for (const r of good()) if (taken.has(`${r.site!.cityCode}:${r.hash}`)) r.errors.push({ field: 'idNumber', reason: '该身份证号已登记为志愿者' });

    const known = new Map(
      (
        await bulk.usersByPhone(
          good().map((r) => r.phone),
          db,
        )
      ).map((u) => [u.phone, u]),
    );
    const already = await bulk.volunteerUsers(
      [...known.values()].map((u) => u.id),
      db,
    );
    const userOf = new Map<Prepared, { id: string; created: boolean }>();
    for (const r of good()) {
      const u = known.get(r.phone);
      if (!u) userOf.set(r, { id: newId(), created: true });
      else if (already.has(`${r.site!.cityCode}:${u.id}`)) r.errors.push({ field: 'phone', reason: '该手机号已登记为志愿者' });
      else if (u.name.trim() !== r.realName) r.errors.push({ field: 'phone', reason: '该手机号已被他人注册（注册姓名与本行姓名不一致），请核对' });
      else userOf.set(r, { id: u.id, created: false });
    }
    await writeChecked(jobId, ctx, batch, userOf);
  }

  async function writeChecked(jobId: string, ctx: RequestCtx, batch: Prepared[], userOf: Map<Prepared, { id: string; created: boolean }>) {
    const good = () => batch.filter((r) => !r.errors.length);
    await db.transaction(async (tx) => {
      const toCreate = good().filter((r) => userOf.get(r)?.created);
      const createdPhones = await bulk.insertUsers(
        toCreate.map((r) => ({ id: userOf.get(r)!.id, phone: r.phone, name: r.realName, passwordHash: NO_PASSWORD })),
        tx,
      );
      for (const r of toCreate) if (!createdPhones.has(r.phone)) r.errors.push({ field: 'phone', reason: '该手机号刚刚被注册，请重新导入该行' });

      const ready = good();
      const ids = new Map(ready.map((r) => [r, newCityId(r.site!.cityCode)]));
      const inserted = await bulk.insertVolunteers(
        ready.map((r) => {
          const facts = idNumberFacts(r.idNumber);
          return {
            cityCode: r.site!.cityCode,
            id: ids.get(r)!,
            userId: userOf.get(r)!.id,
            orgId: r.site!.id,
            realName: r.realName,
            idNumberEnc: pii.encrypt(r.idNumber),
            idNumberHash: r.hash,
            idNumberMasked: maskIdNumber(r.idNumber),
            birthYear: facts.birthYear,
            gender: facts.gender,
            skills: r.skills,
            specialties: [],
            politicalStatus: r.political,
            workUnit: r.workUnit,
            availability: [],
            lat: null,
            lng: null,
            status: 'active' as const,
            totalHours: 0,
          };
        }),
        tx,
      );
      const orphans: string[] = [];
      for (const r of ready) {
        if (inserted.has(ids.get(r)!)) continue;
        r.errors.push({ field: 'idNumber', reason: '该身份证号或手机号刚刚被登记为志愿者' });
        if (userOf.get(r)!.created) orphans.push(userOf.get(r)!.id);
      }
      await bulk.deleteUsers(orphans, tx);
      const done = ready.filter((r) => inserted.has(ids.get(r)!));
      await bulk.insertMembers(
        done.filter((r) => r.teamId).map((r) => ({ cityCode: r.site!.cityCode, teamId: r.teamId!, volunteerId: ids.get(r)! })),
        tx,
      );
      await bulk.insertErrors(errorRows(jobId, batch), tx);
      await bulk.advance(jobId, { processed: batch.length, imported: done.length, failed: batch.length - done.length }, tx);
      if (done.length)
        await audit.record(
          ctx,
          {
            cityCode: null,
            action: 'volunteer.import',
            entityType: 'volunteer_import',
            entityId: jobId,
            after: { rows: [batch[0]!.row, batch.at(-1)!.row], imported: done.map((r) => ids.get(r)) },
          },
          tx,
        );
    });
  }

  async function run(jobId: string, ctx: RequestCtx, scope: Scope, sheet: SheetRow[]) {
    let at = sheet[0]?.row ?? 0;
    try {
      if (!(await bulk.start(jobId))) return;
      const categories = await categoryMap();
      const rows = sheet.map((r) => checkRow(r, categories));
      await resolvePlaces(rows, scope);
      markFileDuplicates(rows);
      for (let i = 0; i < rows.length; i += batchRows) {
        if (shutdown.stopping) {
          await bulk.finish(jobId, 'failed', `服务停止，导入在第${rows[i]!.row}行前中断；请重新导入该文件（已导入的行不会重复登记）`);
          return;
        }
        at = rows[i]!.row;
        await writeBatch(jobId, ctx, rows.slice(i, i + batchRows));
        // Let requests waiting for the (single) embedded connection in between batches.
        await new Promise((r) => setImmediate(r));
      }
      await bulk.finish(jobId, 'done', null);
    } catch (e) {
      log(`volunteer import ${jobId} failed`, e);
      await bulk
        .finish(jobId, 'failed', `导入在第${at}行附近出错，此前的行已导入、此后的行未导入；请稍后重新导入该文件（已导入的行不会重复登记）`)
        .catch((err) => log(`volunteer import ${jobId}: could not record the failure`, err));
    }
  }

  function listFilter(scope: Scope, orgPath: string | undefined, q: Omit<z.infer<typeof ZListVolunteersQuery>, 'limit' | 'cursor'>) {
    const star = q.star;
    return {
      scope: scopeCondition(scope, orgsTable.cityCode, orgsTable.path),
      orgPath,
      skill: q.skill,
      teamId: q.teamId,
      minHours: star === undefined || star === 0 ? undefined : STAR_THRESHOLDS[star - 1],
      maxHours: star === undefined || star === 5 ? undefined : STAR_THRESHOLDS[star],
      politicalStatus: q.politicalStatus,
      status: q.status,
      q: q.q,
    };
  }

  /** The phone as the volunteer list shows it to this caller. */

  return {
    ...deps,
    db,
    bulk,
    orgs,
    audit,
    pii,
    batchRows,
    log,
    running,
    shutdown,
    categoryMap,
    resolvePlaces,
    markFileDuplicates,
    errorRows,
    writeBatch,
    run,
    listFilter,
  };
}

export type VolunteerBulkKit = ReturnType<typeof createVolunteerBulkKit>;

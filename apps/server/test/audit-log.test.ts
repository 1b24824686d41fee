import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '@wenming/contracts';
import { ACTIVITY_EVENTS, CONTENT_EVENTS, HONOUR_ROUND_EVENTS, PAIRING_PLAN_EVENTS } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe('操作日志 labels', () => {
  it('every action the server writes to the audit log has a Chinese label', () => {
    const prefixes = new Set(Object.keys(AUDIT_ACTION_LABELS).map((a) => a.split('.')[0]!));
    const written = new Set<string>();
    const templates: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('audit.record(') && !text.includes('.record(ctx')) continue;
      // Literal actions: `action: 'x.y'`, either branch of `cond ? 'x.y' : 'x.z'`, and codes passed to helpers (editSystem).
      for (const m of text.matchAll(/'([a-z_]+[A-Za-z_]*(?:\.[A-Za-z_]+)+)'/g)) {
        const code = m[1]!;
        const before = text.slice(Math.max(0, m.index - 60), m.index);
        const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
        const asAction = /action:\s*$|action:[^,\n]*\?\s*$|action:[^,\n]*:\s*$/.test(before);
        const asLastArgument = /^\s*,?\s*\)/.test(after) && prefixes.has(code.split('.')[0]!);
        if (asAction || asLastArgument) written.add(code);
      }
      for (const m of text.matchAll(/action:\s*`([^`]*)`/g)) templates.push(m[1]!);
    }
    // Sanity: the scan sees the actions it is meant to see.
    expect(written).toContain('team.addMember');
    expect(written).toContain('evaluation.system.replace');
    expect(written).toContain('points.adjust.approve');
    // Actions made from an event of a state machine: every event of it needs its label.
    const expand: Record<string, readonly string[]> = {
      'activity.${event}': ACTIVITY_EVENTS,
      'content.${event}': CONTENT_EVENTS,
      'pairing.plan.${event}': PAIRING_PLAN_EVENTS,
      'honour.round.${event}': HONOUR_ROUND_EVENTS,
    };
    for (const t of templates) {
      expect(Object.keys(expand), `a new templated audit action \`${t}\`: add its events here`).toContain(t);
      for (const e of expand[t]!) written.add(t.replace('${event}', e));
    }
    const unlabelled = [...written].filter((a) => !Object.hasOwn(AUDIT_ACTION_LABELS, a));
    expect(unlabelled).toEqual([]);
    for (const [code, label] of Object.entries(AUDIT_ACTION_LABELS)) expect(hasChinese(label), code).toBe(true);
  });

  it('every object type written to the audit log has a Chinese name', () => {
    const types = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('.record(')) continue;
      for (const m of text.matchAll(/entityType:\s*'([a-z_]+)'/g)) types.add(m[1]!);
    }
    expect(types.size).toBeGreaterThan(15);
    expect([...types].filter((t) => !AUDIT_ENTITY_LABELS[t])).toEqual([]);
  });
});

describe.each(DATABASES)('操作日志 on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let pcAdmin: Caller;
  let xdDispatcher: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    resident = await ctx.register('居民');
    // Changes made by the district's own admin: a site (it names its place) and a user (it names none: the admin's desk).
    const site = await ctx.request({
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: t.wucheng, level: 'station', name: '体育路社区新时代文明实践站', regionCode: '140105001002' },
      as: xdAdmin,
    });
    expect(site.statusCode, site.body).toBe(201);
    const user = await ctx.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { phone: '13911112222', name: '新同事', password: 'password123' },
      as: xdAdmin,
    });
    expect(user.statusCode, user.body).toBe(201);
  });
  afterAll(() => ctx.close());

  const list = (as: Caller | null, query = '') => ctx.request({ method: 'GET', url: `/api/v1/audit-logs?limit=200${query}`, as });

  it('returns each row with its Chinese action and object names', async () => {
    const res = await list(ctx.admin);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; actionLabel: string; entityLabel: string; actorName: string | null }[];
    expect(items.length).toBeGreaterThan(10);
    for (const r of items) {
      expect(hasChinese(r.actionLabel), r.action).toBe(true);
      expect(hasChinese(r.entityLabel), r.action).toBe(true);
    }
    expect(items.find((r) => r.action === 'role.grant')).toMatchObject({ actionLabel: '授予角色', entityLabel: '用户' });
    expect(items.find((r) => r.action === 'org.create')).toMatchObject({ actionLabel: '新建阵地', entityLabel: '阵地' });
  });

  it('filters by action, operator, object type and China-time day', async () => {
    const grants = (await list(ctx.admin, '&action=role.grant')).json().items as { action: string }[];
    expect(grants.length).toBe(3);
    expect(grants.every((r) => r.action === 'role.grant')).toBe(true);
    const byXd = (await list(ctx.admin, `&actorId=${xdAdmin.userId}`)).json().items as { action: string; actorName: string }[];
    expect(byXd.map((r) => r.action).sort()).toEqual(['org.create', 'user.create']);
    expect(byXd[0]!.actorName).toBe('小店区管理员');
    const users = (await list(ctx.admin, '&entityType=user')).json().items as { entityType: string }[];
    expect(users.length).toBe(4);
    // The rows' own day (China time) keeps them; the next day and the day before drop them.
    const all = (await list(ctx.admin)).json().items as { at: string }[];
    const day = all[0]!.at.slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
    const prev = new Date(Date.parse(`${all.at(-1)!.at.slice(0, 10)}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    const sameDay = all.filter((r) => r.at.startsWith(day)).length;
    expect((await list(ctx.admin, `&from=${day}&to=${day}`)).json().items.length).toBe(sameDay);
    expect((await list(ctx.admin, `&from=${next}`)).json().items.length).toBe(0);
    expect((await list(ctx.admin, `&to=${prev}`)).json().items.length).toBe(0);
    for (const bad of ['&from=2026-02-30', '&to=2026-13-01', '&from=yesterday', '&actorId=42']) {
      const res = await list(ctx.admin, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('a district admin reads their own district only; dispatchers and residents are refused', async () => {
    const xd = (await list(xdAdmin)).json().items as { action: string; entityId: string }[];
    // 小店区 itself, 坞城, 师范街 and the new station; the user the admin created; the two roles granted in 小店区.
    expect(xd.map((r) => r.action).sort()).toEqual(['org.create', 'org.create', 'org.create', 'org.create', 'role.grant', 'role.grant', 'user.create']);
    expect(xd.map((r) => r.entityId)).toEqual(expect.arrayContaining([t.wucheng, t.shifanjie]));
    expect(xd.map((r) => r.entityId)).not.toContain(t.xinwang);
    const pc = (await list(pcAdmin)).json().items as { action: string; entityId: string }[];
    expect(pc.map((r) => r.action).sort()).toEqual(['org.create', 'org.create', 'role.grant']);
    expect(pc.map((r) => r.entityId)).toEqual(expect.arrayContaining([t.pingcheng, t.xinwang]));
    // Filters narrow inside the scope, never widen it.
    expect((await list(pcAdmin, `&actorId=${xdAdmin.userId}`)).json().items).toEqual([]);
    expect((await list(xdDispatcher)).statusCode).toBe(403);
    expect((await list(resident)).statusCode).toBe(403);
    expect((await list(null)).statusCode).toBe(401);
  });

  it('exports the filtered log as .xlsx with the same labels, scoped like the list', async () => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/audit-logs/export?action=org.create', as: xdAdmin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('audit-log.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('操作日志')!;
    expect(ws.getRow(1).values).toEqual([undefined, '时间', '操作', '对象类型', '对象编号', '操作人', '操作代码']);
    const rows = ws.getSheetValues().slice(2) as unknown[][];
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r[2] === '新建阵地' && r[3] === '阵地')).toBe(true);
    expect(rows.map((r) => r[4])).not.toContain(t.xinwang);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/audit-logs/export', as: xdDispatcher })).statusCode).toBe(403);
  });
});

import { idNumberCheckChar } from '@wenming/domain';
import { expect } from 'vitest';
import type { Caller, TestContext } from './test-app.ts';

export interface Tree {
  taiyuan: string;
  xiaodian: string;
  wucheng: string;
  shifanjie: string;
  wanbailin: string;
  xiaojingyu: string;
  datong: string;
  pingcheng: string;
  xinwang: string;
}

async function createOrg(ctx: TestContext, as: Caller, body: Record<string, unknown>): Promise<string> {
  const res = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: body, as });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** A small real-looking tree in two cities, created through the API as the admin. */
export async function buildTree(ctx: TestContext): Promise<Tree> {
  const a = ctx.admin;
  const taiyuan = await createOrg(ctx, a, { level: 'city', name: '太原市', regionCode: '1401' });
  const xiaodian = await createOrg(ctx, a, { parentId: taiyuan, level: 'center', name: '小店区新时代文明实践中心', regionCode: '140105' });
  const wucheng = await createOrg(ctx, a, { parentId: xiaodian, level: 'institute', name: '坞城街道新时代文明实践所', regionCode: '140105001' });
  const shifanjie = await createOrg(ctx, a, {
    parentId: wucheng,
    level: 'station',
    name: '师范街社区新时代文明实践站',
    regionCode: '140105001001',
    lat: 37.8,
    lng: 112.56,
  });
  const wanbailin = await createOrg(ctx, a, { parentId: taiyuan, level: 'center', name: '万柏林区新时代文明实践中心', regionCode: '140109' });
  const xiaojingyu = await createOrg(ctx, a, { parentId: wanbailin, level: 'institute', name: '小井峪街道新时代文明实践所', regionCode: '140109011' });
  const datong = await createOrg(ctx, a, { level: 'city', name: '大同市', regionCode: '1402' });
  const pingcheng = await createOrg(ctx, a, { parentId: datong, level: 'center', name: '平城区新时代文明实践中心', regionCode: '140213' });
  const xinwang = await createOrg(ctx, a, { parentId: pingcheng, level: 'institute', name: '新旺街道新时代文明实践所', regionCode: '140213052' });
  return { taiyuan, xiaodian, wucheng, shifanjie, wanbailin, xiaojingyu, datong, pingcheng, xinwang };
}

/** A new user holding `role` on `orgId`, signed in. */
export async function staff(ctx: TestContext, role: 'org_admin' | 'dispatcher', orgId: string, name = '工作人员'): Promise<Caller> {
  const user = await ctx.register(name);
  const res = await ctx.request({ method: 'POST', url: `/api/v1/users/${user.userId}/roles`, payload: { role, orgId }, as: ctx.admin });
  expect(res.statusCode, res.body).toBe(201);
  return ctx.login(user.phone, 'password123');
}

let idSeq = 0;
/** A valid resident ID number (GB 11643 check digit), different each call. */
export function freshIdNumber(birth = '19800101'): string {
  idSeq++;
  const first17 = `140105${birth}${String((process.pid * 7 + idSeq) % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A registered user who reported in as a volunteer at `orgId`. */
export async function volunteer(ctx: TestContext, orgId: string, opts: { name?: string; skills?: string[]; lat?: number; lng?: number } = {}) {
  const user = await ctx.register(opts.name ?? '志愿者');
  const res = await ctx.request({
    method: 'POST',
    url: '/api/v1/volunteers',
    payload: { realName: opts.name ?? '志愿者', idNumber: freshIdNumber(), orgId, skills: opts.skills ?? ['health'], lat: opts.lat, lng: opts.lng },
    as: user,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...user, volunteerId: res.json().id as string };
}

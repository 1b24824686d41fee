import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_STATES, CONTENT_EVENTS, nextContentState } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';
import { plainText, sanitizeBody } from '../src/modules/content/sanitize.ts';
import { searchWords } from '../src/triage/tokenizer.ts';

describe('content rules', () => {
  it('has a complete transition table: publish, withdraw, republish; edit only off-line', () => {
    const table = Object.fromEntries(CONTENT_STATES.map((s) => [s, Object.fromEntries(CONTENT_EVENTS.map((e) => [e, nextContentState(s, e)]))]));
    expect(table).toEqual({
      draft: { publish: 'published', withdraw: null, edit: 'draft' },
      published: { publish: null, withdraw: 'withdrawn', edit: null },
      withdrawn: { publish: 'published', withdraw: null, edit: 'withdrawn' },
    });
  });

  it('keeps only the allow-list of rich text', () => {
    const dirty =
      '<h2 style="text-align:center;color:red" onclick="x()">标题</h2><script>alert(1)</script><p>正文<a href="javascript:alert(1)">坏链接</a>' +
      '<a href="https://example.org/a">好链接</a></p><img src="https://img.example.org/a.png" onerror="x()"><img src="http://insecure.example.org/b.png">' +
      '<img src="/api/v1/uploads/0190f1a2-0000-7000-8000-000000000000"><img src="/etc/passwd"><iframe src="https://evil.example"></iframe><style>p{}</style><b>粗</b>';
    const clean = sanitizeBody(dirty);
    expect(clean).not.toMatch(/script|onclick|onerror|javascript:|iframe|<style|color:red|insecure|\/etc\/passwd|img\.example/);
    expect(clean).toContain('<h2 style="text-align:center">标题</h2>');
    expect(clean).toContain('<a href="https://example.org/a" rel="noopener noreferrer nofollow" target="_blank">好链接</a>');
    // Remote pictures are tracking pixels: only the platform's own uploads are kept.
    expect(sanitizeBody('<img src="https://img.example.org/a.png"><img src="//img.example.org/b.png"><img src="HTTPS://x.example/c.gif">')).toBe('');
    expect(clean).toContain('<img src="/api/v1/uploads/0190f1a2-0000-7000-8000-000000000000" />');
    expect(clean).toContain('<strong>粗</strong>');
    expect(plainText('<p>第一段&amp;</p><p>第二段</p>')).toMatch(/^第一段 ?& 第二段$/);
  });

  it('segments Chinese for the index and for queries', () => {
    const idx = searchWords('新时代文明实践中心开展垃圾分类宣讲活动！', 'index');
    expect(idx).toEqual(expect.arrayContaining(['文明实践', '垃圾分类', '宣讲']));
    expect(idx.some((w) => /[！!]/.test(w))).toBe(false);
    expect(searchWords('垃圾分类', 'query')).toEqual(['垃圾分类']);
    expect(searchWords('  ，。 ', 'query')).toEqual([]);
  });
});

describe.each(DATABASES)('content (资讯 · 云讲堂) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdDispatcher: Caller;
  let pcAdmin: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    resident = await ctx.register('居民甲');
  });
  afterAll(() => ctx.close());

  async function create(as: Caller, body: Record<string, unknown>) {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/contents', payload: body, as });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; state: string; bodyHtml: string }>();
  }
  const publish = (id: string, as: Caller = xdAdmin) => ctx.request({ method: 'POST', url: `/api/v1/contents/${id}/publish`, payload: {}, as });

  it('creates a draft with sanitised body, publishes it, and shows it to everyone with read counts', async () => {
    const c = await create(xdAdmin, {
      orgId: t.shifanjie,
      kind: 'news',
      title: '师范街社区开展垃圾分类宣讲',
      bodyHtml: '<p>居民踊跃参加<script>x</script></p>',
    });
    expect(c).toMatchObject({ state: 'draft', bodyHtml: '<p>居民踊跃参加</p>', canManage: true });

    // A draft is invisible to the public and to other districts.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}` })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}`, as: pcAdmin })).statusCode).toBe(404);
    const publicList = await ctx.request({ method: 'GET', url: '/api/v1/contents?kind=news' });
    expect(publicList.json().items.map((i: { id: string }) => i.id)).not.toContain(c.id);

    const pub = await publish(c.id);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ state: 'published' });
    expect(pub.json().publishedAt).toMatch(/\+08:00$/);
    expect((await publish(c.id)).json().error.code).toBe('INVALID_STATE');

    const anon1 = await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}` });
    expect(anon1.statusCode).toBe(200);
    expect(anon1.json()).toMatchObject({ title: '师范街社区开展垃圾分类宣讲', canManage: false, orgName: '师范街社区新时代文明实践站' });
    await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}`, as: resident });
    await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}`, as: xdAdmin }); // its managers do not count
    const after = await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}`, as: pcAdmin });
    expect(after.json().readCount).toBe(3);
  });

  it('finds content by Chinese words, best match first, and by site chain', async () => {
    const a = await create(xdAdmin, {
      orgId: t.xiaodian,
      kind: 'policy',
      title: '高龄补贴申领政策解读',
      bodyHtml: '<p>八十周岁以上老人可申领高龄补贴，携带身份证到社区办理。</p>',
    });
    const b = await create(xdAdmin, { orgId: t.wucheng, kind: 'news', title: '坞城街道举办健康讲座', bodyHtml: '<p>讲座中医生也介绍了高龄补贴的申领。</p>' });
    const other = await create(pcAdmin, { orgId: t.pingcheng, kind: 'news', title: '平城区高龄补贴发放', bodyHtml: '<p>平城区发放高龄补贴。</p>' });
    for (const [id, as] of [
      [a.id, xdAdmin],
      [b.id, xdAdmin],
      [other.id, pcAdmin],
    ] as const)
      expect((await publish(id, as)).statusCode).toBe(200);

    const found = await ctx.request({ method: 'GET', url: `/api/v1/contents?q=${encodeURIComponent('高龄补贴')}&orgId=${t.shifanjie}` });
    expect(found.statusCode, found.body).toBe(200);
    const ids = found.json().items.map((i: { id: string }) => i.id);
    // 师范街's chain: 小店区 and 坞城 (above it); 平城区 is another city's district.
    expect(ids).toEqual([a.id, b.id]);
    expect(found.json().nextCursor).toBeNull();

    const everywhere = await ctx.request({ method: 'GET', url: `/api/v1/contents?q=${encodeURIComponent('高龄补贴')}` });
    expect(everywhere.json().items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([a.id, b.id, other.id]));
    const none = await ctx.request({ method: 'GET', url: `/api/v1/contents?q=${encodeURIComponent('量子计算')}` });
    expect(none.json().items).toEqual([]);
  });

  it('keeps columns, lectures with media, and paging', async () => {
    const col = await ctx.request({
      method: 'POST',
      url: '/api/v1/content-columns',
      payload: { orgId: t.xiaodian, kind: 'lecture', name: '党史记忆' },
      as: xdAdmin,
    });
    expect(col.statusCode, col.body).toBe(201);
    const dup = await ctx.request({
      method: 'POST',
      url: '/api/v1/content-columns',
      payload: { orgId: t.xiaodian, kind: 'lecture', name: '党史记忆' },
      as: xdAdmin,
    });
    expect(dup.json().error.code).toBe('DUPLICATE');
    const lecture = await create(xdAdmin, {
      orgId: t.shifanjie,
      kind: 'lecture',
      columnId: col.json().id,
      title: '第一讲：红色太原',
      mediaUrl: 'https://media.example.org/1.mp4',
      mediaType: 'video',
      speaker: '王老师',
    });
    expect(lecture).toMatchObject({ columnName: '党史记忆', mediaType: 'video', speaker: '王老师' });
    // A news item may not use a lecture column; another district may not use 小店区's column.
    const wrongKind = await ctx.request({
      method: 'POST',
      url: '/api/v1/contents',
      payload: { orgId: t.shifanjie, kind: 'news', columnId: col.json().id, title: 'x' },
      as: xdAdmin,
    });
    expect(wrongKind.statusCode).toBe(400);
    const foreign = await ctx.request({
      method: 'POST',
      url: '/api/v1/contents',
      payload: { orgId: t.pingcheng, kind: 'lecture', columnId: col.json().id, title: 'x' },
      as: pcAdmin,
    });
    expect(foreign.statusCode).toBe(400);
    expect((await publish(lecture.id)).statusCode).toBe(200);
    const cols = await ctx.request({ method: 'GET', url: `/api/v1/content-columns?orgId=${t.shifanjie}&kind=lecture` });
    expect(cols.json().items.map((c: { name: string }) => c.name)).toEqual(['党史记忆']);
    const byColumn = await ctx.request({ method: 'GET', url: `/api/v1/contents?columnId=${col.json().id}` });
    expect(byColumn.json().items.map((i: { id: string }) => i.id)).toEqual([lecture.id]);

    // Keyset paging over the published items walks them all once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await ctx.request({ method: 'GET', url: `/api/v1/contents?limit=2${cursor ? `&cursor=${cursor}` : ''}` })
      ).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(5);
  });

  it('edits only drafts and withdrawn items, and lets only managers manage', async () => {
    const c = await create(xdAdmin, { orgId: t.shifanjie, kind: 'reading', title: '好书推荐', bodyHtml: '<p>《平凡的世界》</p>' });
    const edit = await ctx.request({
      method: 'PATCH',
      url: `/api/v1/contents/${c.id}`,
      payload: { title: '好书推荐（第一期）', summary: '路遥的长篇' },
      as: xdAdmin,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ title: '好书推荐（第一期）', summary: '路遥的长篇' });
    expect((await publish(c.id)).statusCode).toBe(200);
    const locked = await ctx.request({ method: 'PATCH', url: `/api/v1/contents/${c.id}`, payload: { title: '改' }, as: xdAdmin });
    expect(locked.json().error.code).toBe('INVALID_STATE');
    // Dispatchers read but do not publish; another district is refused; residents too.
    expect((await ctx.request({ method: 'POST', url: `/api/v1/contents/${c.id}/withdraw`, payload: {}, as: xdDispatcher })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/contents/${c.id}/withdraw`, payload: {}, as: pcAdmin })).statusCode).toBe(403);
    expect(
      (await ctx.request({ method: 'POST', url: '/api/v1/contents', payload: { orgId: t.shifanjie, kind: 'news', title: 'x' }, as: resident })).statusCode,
    ).toBe(403);
    const w = await ctx.request({ method: 'POST', url: `/api/v1/contents/${c.id}/withdraw`, payload: {}, as: xdAdmin });
    expect(w.json().state).toBe('withdrawn');
    expect((await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}` })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/contents/${c.id}`, as: xdDispatcher })).statusCode).toBe(200);
    const managed = await ctx.request({ method: 'GET', url: '/api/v1/contents?manage=true&state=withdrawn', as: xdDispatcher });
    expect(managed.json().items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/contents?manage=true', as: resident })).statusCode).toBe(403);
    const pcManaged = await ctx.request({ method: 'GET', url: '/api/v1/contents?manage=true', as: pcAdmin });
    expect(pcManaged.json().items.every((i: { orgName: string }) => i.orgName.startsWith('平城'))).toBe(true);
  });

  it('refuses bad input with the documented errors and writes nothing', async () => {
    const count = async () => (await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM contents'))[0]!.n;
    const before = await count();
    const bad = [
      { orgId: t.shifanjie, kind: 'news', title: '' },
      { orgId: t.shifanjie, kind: 'gossip', title: 'x' },
      { orgId: t.shifanjie, kind: 'lecture', title: 'x', mediaUrl: 'javascript:alert(1)', mediaType: 'video' },
      { orgId: t.shifanjie, kind: 'lecture', title: 'x', mediaUrl: 'https://a.example/v.mp4' },
      { orgId: t.shifanjie, kind: 'news', title: 'x'.repeat(101) },
      { orgId: t.shifanjie, kind: 'news', title: 'x', coverId: '0190f1a2-0000-7000-8000-000000000000' },
    ];
    for (const body of bad) {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/contents', payload: body, as: xdAdmin });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (await ctx.request({ method: 'POST', url: '/api/v1/contents', payload: { orgId: t.pingcheng, kind: 'news', title: 'x' }, as: xdAdmin })).statusCode,
    ).toBe(403);
    const empty = await create(xdAdmin, { orgId: t.shifanjie, kind: 'news', title: '空白' });
    const refused = await publish(empty.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('RULE_VIOLATION');
    expect(await count()).toBe(before + 1);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/contents/not-a-uuid' })).statusCode).toBe(400);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/contents?q=${'长'.repeat(51)}` })).statusCode).toBe(400);
  });
});

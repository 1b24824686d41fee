import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { ContentColumnDto, ContentDto, ContentSummaryDto, Page, TCreateContentBody, TUpdateContentBody } from '@wenming/contracts';
import { contentStatesAllowing, nextContentState, type ContentEvent, type ContentState } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { duplicate, forbidden, invalidState, notFound, ruleViolation, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import { searchWords } from '../../triage/tokenizer.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsService, OrgsRepository } from '../orgs/index.ts';
import type { UploadsRepository } from '../uploads/index.ts';
import { uploadUrl } from '../uploads/index.ts';
import type { ColumnRow, ContentRepository, ContentRow } from './content.repository.ts';
import { plainText, sanitizeBody } from './sanitize.ts';

const ZCursor = z.object({ at: ZCursorTime, id: z.string().uuid() });
const notFoundContent = () => notFound({ zh: '内容不存在', en: 'No such content' });

function canManage(actor: Actor | null, row: { cityCode: string; orgPath: string }, roles = MANAGE_ROLES) {
  return actor !== null && inScope(scopeOf(actor, roles), { cityCode: row.cityCode, path: row.orgPath });
}

function summaryOf(r: ContentRow): ContentSummaryDto {
  return {
    id: r.id,
    orgId: r.orgId,
    orgName: r.orgName,
    kind: r.kind,
    columnId: r.columnId,
    columnName: r.columnName,
    title: r.title,
    summary: r.summary,
    coverUrl: r.coverId ? uploadUrl(r.coverId) : null,
    mediaType: r.mediaType,
    speaker: r.speaker,
    state: r.state,
    publishedAt: r.publishedAt ? toIso(r.publishedAt) : null,
    readCount: Number(r.readCount),
    updatedAt: toIso(r.updatedAt),
  };
}

function presentColumn(c: ColumnRow): ContentColumnDto {
  return { id: c.id, orgId: c.orgId, orgName: c.orgName, kind: c.kind, name: c.name, description: c.description, sort: c.sort };
}

/** The indexed words of an item: title and summary weigh more than the body. */
function tokens(title: string, summary: string | null | undefined, bodyHtml: string, speaker?: string | null) {
  return {
    titleTokens: searchWords(`${title} ${summary ?? ''} ${speaker ?? ''}`, 'index').join(' '),
    bodyTokens: searchWords(plainText(bodyHtml), 'index').join(' '),
  };
}

export function createContentService(deps: {
  db: Db;
  content: ContentRepository;
  orgs: OrgsService;
  orgsRepo: OrgsRepository;
  uploads: UploadsRepository;
  audit: AuditRepository;
}) {
  const { db, content, audit } = deps;

  /** A column the item may use: of the same kind, owned by the item's site or a site above it. */
  async function checkColumn(columnId: string, org: { cityCode: string; path: string }, kind: string) {
    const col = await content.columnById(columnId);
    const ok = col && col.cityCode === org.cityCode && col.kind === kind && (org.path === col.orgPath || org.path.startsWith(`${col.orgPath}.`));
    if (!ok)
      throw validationFailed('columnId', { zh: '栏目不存在，或不属于本阵地及上级阵地的同类栏目', en: 'No such column of this kind at this site or above' });
  }

  async function checkCover(coverId: string) {
    const up = await deps.uploads.byId(coverId);
    if (!up) throw validationFailed('coverId', { zh: '封面图片不存在，请重新上传', en: 'No such picture; upload it again' });
  }

  /** The item for a staff action: 404 when the caller cannot see it, 403 when they see but may not manage it. */
  async function managed(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const row = await content.byId(id);
    if (!row) throw notFoundContent();
    if (!canManage(actor, row)) {
      if (row.state !== 'published' && !canManage(actor, row, READ_ROLES)) throw notFoundContent();
      throw forbidden({ zh: '该内容不在您的管辖范围内', en: 'This content is outside your scope' });
    }
    return { actor, row };
  }

  async function present(ctx: RequestCtx, id: string): Promise<ContentDto> {
    const row = (await content.byId(id))!;
    return {
      ...summaryOf(row),
      coverId: row.coverId,
      // Sanitized again on the way out: bodies stored under an older allow-list (remote pictures) lose what it no longer allows.
      bodyHtml: sanitizeBody(row.bodyHtml),
      mediaUrl: row.mediaUrl,
      authorName: row.authorName,
      canManage: canManage(ctx.actor, row),
    };
  }

  async function move(ctx: RequestCtx, id: string, event: Exclude<ContentEvent, 'edit'>) {
    const { row } = await managed(ctx, id);
    const to = nextContentState(row.state, event);
    if (event === 'publish' && !plainText(row.bodyHtml) && !row.mediaUrl && !/<img\b/.test(row.bodyHtml))
      throw ruleViolation({ zh: '正文为空且没有音视频，不能发布', en: 'Nothing to publish: the body is empty and there is no media' });
    await db.transaction(async (tx) => {
      const patch = event === 'publish' ? { state: 'published' as const, publishedAt: new Date() } : { state: 'withdrawn' as const };
      const ok = to !== null && (await content.update(row.cityCode, id, contentStatesAllowing(event), patch, tx));
      if (!ok)
        throw invalidState({
          zh: event === 'publish' ? '该内容已发布' : '只有已发布的内容可以下线',
          en: event === 'publish' ? 'Already published' : 'Only published content can be withdrawn',
        });
      await audit.record(
        ctx,
        { cityCode: row.cityCode, action: `content.${event}`, entityType: 'content', entityId: id, before: { state: row.state }, after: { state: to } },
        tx,
      );
    });
    return present(ctx, id);
  }

  return {
    async create(ctx: RequestCtx, body: TCreateContentBody): Promise<ContentDto> {
      const actor = requireActor(ctx);
      const org = await deps.orgs.requireManaged(ctx, body.orgId);
      if (body.columnId) await checkColumn(body.columnId, org, body.kind);
      if (body.coverId) await checkCover(body.coverId);
      const bodyHtml = sanitizeBody(body.bodyHtml);
      const id = newId();
      await db.transaction(async (tx) => {
        await content.insert(
          {
            cityCode: org.cityCode,
            id,
            orgId: org.id,
            kind: body.kind,
            columnId: body.columnId ?? null,
            title: body.title,
            summary: body.summary || null,
            bodyHtml,
            coverId: body.coverId ?? null,
            mediaUrl: body.mediaUrl ?? null,
            mediaType: body.mediaType ?? null,
            speaker: body.speaker || null,
            authorId: actor.userId,
            ...tokens(body.title, body.summary, bodyHtml, body.speaker),
          },
          tx,
        );
        await audit.record(
          ctx,
          {
            cityCode: org.cityCode,
            action: 'content.create',
            entityType: 'content',
            entityId: id,
            after: { kind: body.kind, title: body.title, orgId: org.id },
          },
          tx,
        );
      });
      return present(ctx, id);
    },

    async update(ctx: RequestCtx, id: string, patch: TUpdateContentBody): Promise<ContentDto> {
      const { row } = await managed(ctx, id);
      if (!nextContentState(row.state, 'edit')) throw invalidState({ zh: '已发布的内容请先下线再修改', en: 'Withdraw published content before editing it' });
      const org = { cityCode: row.cityCode, path: row.orgPath };
      if (patch.columnId) await checkColumn(patch.columnId, org, row.kind);
      if (patch.coverId) await checkCover(patch.coverId);
      const mediaUrl = patch.mediaUrl === undefined ? row.mediaUrl : patch.mediaUrl;
      const mediaType = patch.mediaType === undefined ? row.mediaType : patch.mediaType;
      if ((mediaUrl === null) !== (mediaType === null))
        throw validationFailed('mediaType', { zh: '音视频地址与类型须同时填写', en: 'Give both the media link and its type' });
      const title = patch.title ?? row.title;
      const summary = patch.summary === undefined ? row.summary : patch.summary || null;
      const bodyHtml = patch.bodyHtml === undefined ? row.bodyHtml : sanitizeBody(patch.bodyHtml);
      const speaker = patch.speaker === undefined ? row.speaker : patch.speaker || null;
      const next = {
        title,
        summary,
        bodyHtml,
        speaker,
        mediaUrl,
        mediaType,
        columnId: patch.columnId === undefined ? row.columnId : patch.columnId,
        coverId: patch.coverId === undefined ? row.coverId : patch.coverId,
        ...tokens(title, summary, bodyHtml, speaker),
      };
      await db.transaction(async (tx) => {
        const ok = await content.update(row.cityCode, id, contentStatesAllowing('edit'), next, tx);
        if (!ok) throw invalidState({ zh: '已发布的内容请先下线再修改', en: 'Withdraw published content before editing it' });
        await audit.record(
          ctx,
          { cityCode: row.cityCode, action: 'content.update', entityType: 'content', entityId: id, before: { title: row.title }, after: patch },
          tx,
        );
      });
      return present(ctx, id);
    },

    publish: (ctx: RequestCtx, id: string) => move(ctx, id, 'publish'),
    withdraw: (ctx: RequestCtx, id: string) => move(ctx, id, 'withdraw'),

    /** Published items for everyone; with `manage`, every state in the caller's subtree (staff). */
    async list(
      ctx: RequestCtx,
      q: { kind?: string; columnId?: string; orgId?: string; q?: string; manage?: 'true' | 'false'; state?: ContentState; limit: number; cursor?: string },
    ): Promise<Page<ContentSummaryDto>> {
      let visible = sql`contents.state = 'published'`;
      if (q.manage === 'true') {
        const scope = assertStaff(requireActor(ctx));
        visible = scopeCondition(scope, sql`orgs.city_code`, sql`orgs.path`);
      }
      let orgPath: string | undefined;
      if (q.orgId) {
        const org = await deps.orgsRepo.byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        orgPath = org.path;
      }
      const words = q.q ? searchWords(q.q, 'query') : undefined;
      if (q.q && q.cursor) throw validationFailed('cursor', { zh: '搜索结果按相关度排列，不分页', en: 'Search results are ranked and not paged' });
      const after = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await content.list({
        visible,
        orgPath,
        kind: q.kind,
        columnId: q.columnId,
        state: q.state,
        words,
        raw: q.q,
        limit: q.limit + 1,
        after: after ? { at: new Date(after.at), id: after.id } : undefined,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const more = rows.length > q.limit && !q.q;
      return {
        items: page.map(summaryOf),
        nextCursor: more && last ? encodeCursor({ at: (last.publishedAt ?? last.updatedAt).toISOString(), id: last.id }) : null,
      };
    },

    /** One item; a published one counts a read (not when its own managers open it). */
    async get(ctx: RequestCtx, id: string): Promise<ContentDto> {
      const row = await content.byId(id);
      if (!row) throw notFoundContent();
      if (row.state !== 'published') {
        if (!canManage(ctx.actor, row, READ_ROLES)) throw notFoundContent();
      } else if (!canManage(ctx.actor, row)) {
        await content.countRead(row.cityCode, id);
      }
      return present(ctx, id);
    },

    async createColumn(
      ctx: RequestCtx,
      body: { orgId: string; kind: 'news' | 'policy' | 'lecture' | 'reading'; name: string; description?: string; sort?: number },
    ): Promise<ContentColumnDto> {
      const org = await deps.orgs.requireManaged(ctx, body.orgId);
      const id = newId();
      await db.transaction(async (tx) => {
        const ok = await content.insertColumn(
          { cityCode: org.cityCode, id, orgId: org.id, kind: body.kind, name: body.name, description: body.description || null, sort: body.sort ?? 0 },
          tx,
        );
        if (!ok) throw duplicate({ zh: '本阵地已有同名栏目', en: 'This site already has a column of that name' });
        await audit.record(ctx, { cityCode: org.cityCode, action: 'content_column.create', entityType: 'content_column', entityId: id, after: body }, tx);
      });
      return presentColumn((await content.columnById(id))!);
    },

    async listColumns(q: { orgId?: string; kind?: string }): Promise<ContentColumnDto[]> {
      let orgPath: string | undefined;
      if (q.orgId) {
        const org = await deps.orgsRepo.byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        orgPath = org.path;
      }
      return (await content.listColumns({ orgPath, kind: q.kind })).map(presentColumn);
    },
  };
}
export type ContentService = ReturnType<typeof createContentService>;

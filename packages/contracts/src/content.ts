import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZListQuery } from './common.ts';

/** 资讯 · 政策解读 · 云讲堂 · 掌上悦读 */
export const ZContentKind = z.enum(['news', 'policy', 'lecture', 'reading'], { message: msg('无效的内容类型', 'Invalid content kind') });
export type TContentKind = z.infer<typeof ZContentKind>;

const ZMediaUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s<>"']+$/i, { message: msg('音视频地址须以 http:// 或 https:// 开头', 'Media links start with http:// or https://') });

const fields = {
  title: z
    .string()
    .trim()
    .min(1, { message: msg('请填写标题', 'Give a title') })
    .max(100, { message: msg('标题最多100字', 'At most 100 characters') }),
  summary: z
    .string()
    .trim()
    .max(300, { message: msg('摘要最多300字', 'At most 300 characters') }),
  /** Rich text; the server keeps only an allow-list of tags and attributes. */
  bodyHtml: z.string().max(200_000, { message: msg('正文过长', 'The body is too long') }),
  columnId: ZId,
  coverId: ZId,
  mediaUrl: ZMediaUrl,
  mediaType: z.enum(['video', 'audio'], { message: msg('音视频类型为 video 或 audio', 'video or audio') }),
  speaker: z.string().trim().max(50),
};

export const ZCreateContentBody = z
  .object({
    orgId: ZId,
    kind: ZContentKind,
    title: fields.title,
    summary: fields.summary.optional(),
    bodyHtml: fields.bodyHtml.default(''),
    columnId: fields.columnId.optional(),
    coverId: fields.coverId.optional(),
    mediaUrl: fields.mediaUrl.optional(),
    mediaType: fields.mediaType.optional(),
    speaker: fields.speaker.optional(),
  })
  .refine((b) => (b.mediaUrl === undefined) === (b.mediaType === undefined), {
    path: ['mediaType'],
    message: msg('音视频地址与类型须同时填写', 'Give both the media link and its type'),
  });
export type TCreateContentBody = z.infer<typeof ZCreateContentBody>;

/** PATCH /contents/{id}: the fields given change; `null` clears an optional one. Drafts and withdrawn items only. */
export const ZUpdateContentBody = z
  .object({
    title: fields.title.optional(),
    summary: fields.summary.nullable().optional(),
    bodyHtml: fields.bodyHtml.optional(),
    columnId: fields.columnId.nullable().optional(),
    coverId: fields.coverId.nullable().optional(),
    mediaUrl: fields.mediaUrl.nullable().optional(),
    mediaType: fields.mediaType.nullable().optional(),
    speaker: fields.speaker.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: msg('没有要修改的内容', 'Nothing to change') });
export type TUpdateContentBody = z.infer<typeof ZUpdateContentBody>;

export const ZListContentsQuery = ZListQuery.extend({
  kind: ZContentKind.optional(),
  columnId: ZId.optional(),
  /** Content of this site's chain (the site, the levels above it) and of the sites below it. */
  orgId: ZId.optional(),
  /** Search words (Chinese is segmented); results come best first. */
  q: z.string().trim().max(50).optional(),
  /** Staff: every state in their subtree (default: published only, for everyone). */
  manage: z.enum(['true', 'false']).optional(),
  state: z.enum(['draft', 'published', 'withdrawn']).optional(),
});

export const ZCreateColumnBody = z.object({
  orgId: ZId,
  kind: ZContentKind,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('请填写栏目名称', 'Give a name') })
    .max(30, { message: msg('栏目名称最多30字', 'At most 30 characters') }),
  description: z.string().trim().max(200).optional(),
  sort: z.number().int().min(0).max(9999).optional(),
});

export const ZListColumnsQuery = z.object({ orgId: ZId.optional(), kind: ZContentKind.optional() });

export interface ContentColumnDto {
  id: string;
  orgId: string;
  orgName: string;
  kind: TContentKind;
  name: string;
  description: string | null;
  sort: number;
}

export interface ContentSummaryDto {
  id: string;
  orgId: string;
  orgName: string;
  kind: TContentKind;
  columnId: string | null;
  columnName: string | null;
  title: string;
  summary: string | null;
  coverUrl: string | null;
  mediaType: 'video' | 'audio' | null;
  speaker: string | null;
  state: 'draft' | 'published' | 'withdrawn';
  publishedAt: string | null;
  readCount: number;
  updatedAt: string;
}

export interface ContentDto extends ContentSummaryDto {
  coverId: string | null;
  bodyHtml: string;
  mediaUrl: string | null;
  authorName: string | null;
  /** The caller may edit, publish or withdraw it. */
  canManage: boolean;
}

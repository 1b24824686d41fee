/**
 * Content (资讯 · 政策解读 · 云讲堂 · 掌上悦读): kinds and the publishing workflow.
 * A draft is published; a published item can be withdrawn (下线) and published again.
 * Drafts and withdrawn items can be edited; a published item is edited by withdrawing it first,
 * so what readers saw is never changed under them.
 */
export const CONTENT_KINDS = ['news', 'policy', 'lecture', 'reading'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const CONTENT_KIND_NAMES: Record<ContentKind, string> = {
  news: '资讯',
  policy: '政策解读',
  lecture: '云讲堂',
  reading: '掌上悦读',
};

export const CONTENT_STATES = ['draft', 'published', 'withdrawn'] as const;
export type ContentState = (typeof CONTENT_STATES)[number];
export const CONTENT_EVENTS = ['publish', 'withdraw', 'edit'] as const;
export type ContentEvent = (typeof CONTENT_EVENTS)[number];

export const CONTENT_TRANSITIONS = {
  draft: { publish: 'published', edit: 'draft' },
  published: { withdraw: 'withdrawn' },
  withdrawn: { publish: 'published', edit: 'withdrawn' },
} as const satisfies Record<ContentState, Partial<Record<ContentEvent, ContentState>>>;

export function nextContentState(state: ContentState, event: ContentEvent): ContentState | null {
  return (CONTENT_TRANSITIONS[state] as Partial<Record<ContentEvent, ContentState>>)[event] ?? null;
}

/** The states from which `event` is allowed (for conditional updates). */
export function contentStatesAllowing(event: ContentEvent): ContentState[] {
  return CONTENT_STATES.filter((s) => nextContentState(s, event) !== null);
}

export const CONTENT_STATE_NAMES: Record<ContentState, string> = {
  draft: '草稿',
  published: '已发布',
  withdrawn: '已下线',
};

import { useState } from 'react';
import { Input, Segmented, Tag } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { useMyCommunity } from '../../../lib/my-community';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { KIND_NAMES, KINDS, useColumns, type TContentKind } from '../api/content-api';
import { H5ContentList } from './h5-content-list';
import './content.css';

/** 资讯 · 政策 · 云讲堂 · 悦读: what my community and the levels above it publish, with search. */
export function H5NewsPage({ me }: { me: MeDto }) {
  useDocumentTitle('资讯');
  const [params, setParams] = useSearchParams();
  const kind = (KINDS as string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as TContentKind) : 'news';
  const columnId = params.get('column') ?? undefined;
  const { community } = useMyCommunity(me.id);
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 400);
  const columns = useColumns({ orgId: community?.id, kind });
  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next))
      if (v) p.set(k, v);
      else p.delete(k);
    setParams(p, { replace: true });
  };

  return (
    <div className="h5-page" style={{ padding: 0 }}>
      <div className="h5-news-tabs">
        <Segmented
          block
          size="large"
          value={kind}
          onChange={(v) => set({ kind: String(v), column: undefined })}
          options={KINDS.map((k) => ({ value: k, label: k === 'policy' ? '政策' : k === 'reading' ? '悦读' : KIND_NAMES[k] }))}
        />
      </div>
      <div className="h5-news-search" style={{ paddingTop: 8 }}>
        <Input
          size="large"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={`搜索${KIND_NAMES[kind]}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="搜索"
        />
        {(columns.data?.length ?? 0) > 0 && (
          <div style={{ marginTop: 8, display: 'flex', gap: 6, flexWrap: 'wrap' }}>
            <Tag.CheckableTag checked={!columnId} onChange={() => set({ column: undefined })} style={{ fontSize: 15, padding: '4px 10px' }}>
              全部
            </Tag.CheckableTag>
            {columns.data!.map((c) => (
              <Tag.CheckableTag key={c.id} checked={columnId === c.id} onChange={() => set({ column: c.id })} style={{ fontSize: 15, padding: '4px 10px' }}>
                {c.name}
              </Tag.CheckableTag>
            ))}
          </div>
        )}
      </div>
      <H5ContentList
        filter={{ kind: q ? undefined : kind, columnId: q ? undefined : columnId, orgId: community?.id, q }}
        showKind={!!q}
        empty={q ? `没有找到与“${q}”相关的内容` : `暂无${KIND_NAMES[kind]}`}
      />
    </div>
  );
}

import { useMemo, useState, type CSSProperties } from 'react';
import { Select, Spin, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { OrgDto, Page } from '@wenming/contracts';
import { api } from '../lib/api-client';
import { useDebounced } from '../lib/use-debounced';
import { OrgLevelTag } from './org-level-tag';

interface Props {
  value?: string;
  onChange?: (id: string | undefined, org: OrgDto | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  id?: string;
  status?: 'error' | 'warning';
}

/**
 * Picks a site inside the caller's scope (GET /orgs): the scope's roots and their children when
 * nothing is typed, matching sites (with where they sit) when something is.
 */
export function OrgSearchSelect({ value, onChange, placeholder = '输入名称搜索阵地', allowClear, style, id, status }: Props) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const [picked, setPicked] = useState<OrgDto | undefined>();

  const roots = useQuery({
    queryKey: ['orgs', 'picker-roots'],
    queryFn: async () => {
      const r = await api<Page<OrgDto>>('/orgs', { query: { limit: 50 } });
      // One level below the roots too, so the common choices are one click away.
      const children = await Promise.all(
        r.items
          .slice(0, 5)
          .map((o) => (o.childCount ? api<Page<OrgDto>>('/orgs', { query: { parentId: o.id, limit: 50 } }) : Promise.resolve({ items: [], nextCursor: null }))),
      );
      return r.items.flatMap((o, i) => [o, ...(children[i]?.items ?? [])]);
    },
    staleTime: 5 * 60_000,
  });
  const search = useQuery({
    queryKey: ['orgs', 'search', q],
    queryFn: ({ signal }) => api<Page<OrgDto>>('/orgs', { query: { q, limit: 30 }, signal }),
    enabled: q.length > 0,
  });
  const current = useQuery({
    queryKey: ['orgs', 'one', value],
    queryFn: () => api<OrgDto>(`/orgs/${value}`),
    enabled: !!value && picked?.id !== value,
  });

  const list: OrgDto[] = useMemo(() => (q ? (search.data?.items ?? []) : (roots.data ?? [])), [q, search.data, roots.data]);
  const selected = picked?.id === value ? picked : current.data;
  const options = useMemo(() => {
    const all = selected && !list.some((o) => o.id === selected.id) ? [selected, ...list] : list;
    return all.map((o) => ({
      value: o.id,
      org: o,
      label: (
        <span>
          <OrgLevelTag level={o.level} />
          {o.name}
        </span>
      ),
    }));
  }, [list, selected]);
  const loading = q ? search.isFetching : roots.isLoading;

  return (
    <Select
      id={id}
      status={status}
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      value={value}
      placeholder={placeholder}
      allowClear={allowClear}
      style={style}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : q ? '没有找到匹配的阵地' : '暂无可选阵地'}
      options={options}
      optionRender={(opt) => {
        const o = (opt.data as { org: OrgDto }).org;
        return (
          <div style={{ lineHeight: 1.4, padding: '2px 0' }}>
            <div>
              <OrgLevelTag level={o.level} />
              {o.name}
            </div>
            {o.pathNames.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: '0.85em' }} ellipsis>
                {o.pathNames.join(' / ')}
              </Typography.Text>
            )}
          </div>
        );
      }}
      onChange={(v: string | undefined, opt) => {
        const org = (Array.isArray(opt) ? undefined : (opt as { org?: OrgDto } | undefined)?.org) ?? undefined;
        setPicked(org);
        setInput('');
        onChange?.(v, org);
      }}
    />
  );
}

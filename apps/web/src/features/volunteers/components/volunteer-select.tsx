import { useState } from 'react';
import { Select, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Page, VolunteerDto } from '@wenming/contracts';
import { api } from '../../../lib/api-client';
import { useDebounced } from '../../../lib/use-debounced';

/** Finds a volunteer in scope by name or phone tail (GET /volunteers?q=). */
export function VolunteerSelect({
  value,
  onChange,
  id,
  placeholder = '输入姓名或手机号后4位',
}: {
  value?: string;
  onChange?: (id: string, v: VolunteerDto | undefined) => void;
  id?: string;
  placeholder?: string;
}) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const list = useQuery({
    queryKey: ['volunteers', 'pick', q],
    queryFn: ({ signal }) => api<Page<VolunteerDto>>('/volunteers', { query: { q: q || undefined, limit: 20, status: 'active' }, signal }),
  });
  const items = list.data?.items ?? [];
  return (
    <Select
      id={id}
      value={value}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      notFoundContent={list.isFetching ? <Spin size="small" /> : '没有找到志愿者'}
      options={items.map((v) => ({ value: v.id, label: `${v.realName}（${v.phone}，${v.orgName.replace(/新时代文明实践(中心|所|站)$/, '')}）`, v }))}
      onChange={(val: string, opt) => onChange?.(val, (opt as { v?: VolunteerDto } | undefined)?.v)}
      data-testid="volunteer-select"
    />
  );
}

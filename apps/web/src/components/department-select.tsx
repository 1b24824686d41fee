import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { DepartmentDto, Page } from '@wenming/contracts';
import { api } from '../lib/api-client';

/** Picks one of a site's departments (GET /departments?orgId=). */
export function DepartmentSelect({ orgId, value, onChange, id }: { orgId?: string; value?: string; onChange?: (id: string) => void; id?: string }) {
  const q = useQuery({
    queryKey: ['departments', 'select', orgId],
    queryFn: () => api<Page<DepartmentDto>>('/departments', { query: { orgId, limit: 200 } }),
    enabled: !!orgId,
  });
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      disabled={!orgId}
      loading={q.isFetching}
      placeholder={orgId ? '选择职能部门' : '请先选择阵地'}
      notFoundContent={q.isError ? '加载失败' : '该阵地暂无职能部门'}
      options={(q.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
    />
  );
}

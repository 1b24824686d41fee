import { Button, Empty, Spin, Tag } from 'antd';
import type { OrgDto } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { useDepartments } from '../api/departments-api';
import { CreateDepartmentModal } from './create-department-modal';

/** The departments of one site, shown in the site drawer, with its create form. */
export function OrgDepartmentsPanel({
  org,
  createOpen,
  onCreateOpenChange,
}: {
  org: OrgDto;
  createOpen: boolean;
  onCreateOpenChange: (open: boolean) => void;
}) {
  const q = useDepartments(org.id, 50);
  return (
    <div data-testid="org-departments">
      {q.isPending ? (
        <Spin size="small" />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.pages[0]?.items.length ? (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {q.data.pages
            .flatMap((p) => p.items)
            .map((d) => (
              <Tag key={d.id} color="geekblue" style={{ marginInlineEnd: 0, padding: '2px 10px' }}>
                {d.name}
              </Tag>
            ))}
          {q.hasNextPage && (
            <Button size="small" type="link" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
              加载更多
            </Button>
          )}
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该阵地暂无职能部门" />
      )}
      <CreateDepartmentModal org={org} open={createOpen} onClose={() => onCreateOpenChange(false)} />
    </div>
  );
}

import { useState } from 'react';
import { App, Button, Input, Popconfirm, Segmented, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import {
  KIND_NAMES,
  KINDS,
  STATE_NAMES,
  useContentList,
  useContentMutations,
  type ContentState,
  type ContentSummaryDto,
  type TContentKind,
} from '../api/content-api';
import './content.css';

const STATE_COLORS: Record<ContentState, string> = { draft: 'default', published: 'green', withdrawn: 'orange' };

/** 内容发布: every item of the caller's subtree, by kind, state, site and words. */
export function AdminContentsPage() {
  useDocumentTitle('内容发布');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [kind, setKind] = useState<TContentKind | 'all'>('all');
  const [state, setState] = useState<ContentState | undefined>();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const list = useContentList({ manage: true, kind: kind === 'all' ? undefined : kind, state, orgId, q }, 30);
  const m = useContentMutations();

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div>
      <PageHeader
        title="内容发布"
        description="资讯、政策解读、云讲堂与掌上悦读：先存草稿，发布后居民在手机上阅读；已发布的内容需先下线才能修改。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/admin/contents/new')} data-testid="content-new">
            新建内容
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as TContentKind | 'all')}
          options={[{ value: 'all', label: '全部' }, ...KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))]}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          value={state}
          onChange={setState}
          options={(Object.keys(STATE_NAMES) as ContentState[]).map((s) => ({ value: s, label: STATE_NAMES[s] }))}
        />
        <OrgSearchSelect allowClear value={orgId} onChange={(v) => setOrgId(v ?? undefined)} placeholder="按阵地筛选" style={{ width: 260 }} />
        <Input.Search allowClear placeholder="搜索标题和正文" value={text} onChange={(e) => setText(e.target.value)} style={{ width: 240 }} />
      </Space>
      <PagedTable<ContentSummaryDto>
        query={list}
        rowKey="id"
        scroll={{ x: 1000 }}
        locale={{ emptyText: q ? '没有找到相关内容' : '还没有内容，点“新建内容”开始' }}
        data-testid="content-table"
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, c) => (
              <Space>
                {c.coverUrl && <img className="content-cover-thumb" src={c.coverUrl} alt="" />}
                <div>
                  <Link to={`/admin/contents/${c.id}`} className="content-admin-title">
                    {t}
                  </Link>
                  <div className="content-admin-meta">
                    {c.columnName ? `栏目：${c.columnName}` : null}
                    {c.speaker ? `　主讲：${c.speaker}` : null}
                  </div>
                </div>
              </Space>
            ),
          },
          { title: '类型', dataIndex: 'kind', width: 100, render: (k: TContentKind) => <Tag>{KIND_NAMES[k]}</Tag> },
          { title: '发布阵地', dataIndex: 'orgName', width: 220, ellipsis: true },
          { title: '状态', dataIndex: 'state', width: 90, render: (s: ContentState) => <Tag color={STATE_COLORS[s]}>{STATE_NAMES[s]}</Tag> },
          {
            title: '发布时间',
            dataIndex: 'publishedAt',
            width: 170,
            render: (v: string | null) => (v ? formatDateTime(v) : <Typography.Text type="secondary">—</Typography.Text>),
          },
          { title: '阅读', dataIndex: 'readCount', width: 80, align: 'right' },
          {
            title: '操作',
            key: 'ops',
            width: 170,
            render: (_: unknown, c) => (
              <Space size={4}>
                {c.state !== 'published' && (
                  <Button size="small" type="link" onClick={() => navigate(`/admin/contents/${c.id}`)}>
                    编辑
                  </Button>
                )}
                {c.state !== 'published' ? (
                  <Popconfirm
                    title="发布后居民即可看到，确定发布？"
                    okText="发布"
                    cancelText="取消"
                    onConfirm={() => act(() => m.publish.mutateAsync(c.id), '已发布')}
                  >
                    <Button size="small" type="link" data-testid={`publish-${c.id}`}>
                      发布
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title="下线后居民将看不到这条内容，确定下线？"
                    okText="下线"
                    cancelText="取消"
                    onConfirm={() => act(() => m.withdraw.mutateAsync(c.id), '已下线')}
                  >
                    <Button size="small" type="link" danger>
                      下线
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}

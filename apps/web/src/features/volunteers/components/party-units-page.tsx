import { useState } from 'react';
import { Card, Input, Space, Table, Tag, Typography } from 'antd';
import type { PartyMemberDto, PartyUnitDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { usePartyUnits, type PartyUnitsFilter } from '../api/volunteer-bulk-api';

const hours = (h: number) => `${Math.round(h * 10) / 10} 小时`;

function Members({ unit }: { unit: PartyUnitDto }) {
  return (
    <>
      <Table<PartyMemberDto>
        size="small"
        rowKey="id"
        dataSource={unit.members}
        pagination={unit.members.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        columns={[
          { title: '姓名', dataIndex: 'realName', width: 110, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: '手机号', dataIndex: 'phone', width: 130 },
          { title: '报到社区（阵地）', dataIndex: 'orgName', ellipsis: true },
          { title: '服务时长', dataIndex: 'totalHours', width: 110, align: 'right', render: hours },
          { title: '服务次数', dataIndex: 'serviceCount', width: 90, align: 'right', render: (n: number) => `${n} 次` },
          { title: '状态', dataIndex: 'status', width: 80, render: (s: string) => (s === 'active' ? <Tag color="success">在岗</Tag> : <Tag>已暂停</Tag>) },
        ]}
      />
      {unit.memberCount > unit.members.length && (
        <Typography.Text type="secondary">
          该单位共 {unit.memberCount} 名党员，按服务时长列出前 {unit.members.length} 名。
        </Typography.Text>
      )}
    </>
  );
}

/** 党员双报到: in-service Party members who reported to their residential community, by work unit. */
export function PartyUnitsPage() {
  useDocumentTitle('党员双报到');
  const [input, setInput] = useState('');
  const [filter, setFilter] = useState<PartyUnitsFilter>({});
  const q = usePartyUnits(filter);
  const units = q.data?.pages.flatMap((p) => p.items) ?? [];
  const members = units.reduce((s, u) => s + u.memberCount, 0);
  const total = units.reduce((s, u) => s + u.totalHours, 0);
  const services = units.reduce((s, u) => s + u.serviceCount, 0);
  return (
    <div>
      <PageHeader
        title="党员双报到"
        description="在职党员到居住地社区报到、参加志愿服务。按工作单位汇总党员志愿者的人数、经审核的服务时长和服务次数；展开查看每位党员。"
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <OrgSearchSelect
            allowClear
            placeholder="报到阵地（含下级）"
            style={{ width: 280 }}
            value={filter.orgId}
            onChange={(orgId) => setFilter((f) => ({ ...f, orgId }))}
          />
          <Input.Search
            allowClear
            placeholder="工作单位或党员姓名"
            enterButton="搜索"
            style={{ width: 300 }}
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              if (!e.target.value) setFilter((f) => ({ ...f, q: undefined }));
            }}
            onSearch={(v) => setFilter((f) => ({ ...f, q: v.trim() || undefined }))}
            data-testid="party-search"
          />
        </Space>
        <PagedTable<PartyUnitDto>
          query={q}
          items={units}
          rowKey={(u) => u.workUnit ?? '(none)'}
          locale={{ emptyText: '管辖范围内还没有党员志愿者报到' }}
          expandable={{ expandedRowRender: (u) => <Members unit={u} />, expandRowByClick: true }}
          columns={[
            {
              title: '工作单位',
              dataIndex: 'workUnit',
              render: (w: string | null) =>
                w ? <Typography.Text strong>{w}</Typography.Text> : <Typography.Text type="secondary">未填写工作单位</Typography.Text>,
            },
            { title: '党员人数', dataIndex: 'memberCount', width: 110, align: 'right', render: (n: number) => `${n} 人` },
            { title: '服务时长', dataIndex: 'totalHours', width: 130, align: 'right', render: hours },
            { title: '服务次数', dataIndex: 'serviceCount', width: 110, align: 'right', render: (n: number) => `${n} 次` },
            {
              title: '人均时长',
              key: 'avg',
              width: 120,
              align: 'right',
              render: (_: unknown, u) => hours(u.memberCount ? u.totalHours / u.memberCount : 0),
            },
          ]}
          data-testid="party-units"
          countText={
            <>
              已显示 {units.length} 个单位、{members} 名党员，服务 {hours(total)}、{services} 次
            </>
          }
        />
      </Card>
    </div>
  );
}

import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Divider, Drawer, Empty, Grid, Input, Modal, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { POLITICAL_STATUS_NAMES, type VolunteerDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { QueryError } from '../../../components/query-error';
import { ReasonModal } from '../../../components/reason-modal';
import { errorMessage } from '../../../lib/api-client';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useIssueActivationCode, useSetVolunteerStatus, useVolunteer, useVolunteerRecords, useVolunteers, type VolunteerFilter } from '../api/volunteers-api';
import { AvailabilityGrid } from './availability-grid';
import { RecordStatusTag, SOURCE_NAMES, Stars } from './record-status-tag';
import { DownloadOutlined, FileExcelOutlined, KeyOutlined, SwapOutlined, UploadOutlined } from '@ant-design/icons';
import { exportUrl, importTemplateUrl, nationalRecordUrl } from '../api/volunteer-bulk-api';
import { VolunteerImportDialog } from './volunteer-import-dialog';
import { NationalExchangeDialog } from './national-exchange-dialog';
import './volunteers.css';

function StatusTag({ status }: { status: VolunteerDto['status'] }) {
  return status === 'active' ? <Tag color="success">在岗</Tag> : <Tag>已暂停</Tag>;
}

function StatusDialog({ v, action, onClose }: { v: VolunteerDto; action: 'suspend' | 'reactivate'; onClose: () => void }) {
  const { message } = App.useApp();
  const set = useSetVolunteerStatus(v.id);
  const label = action === 'suspend' ? '暂停服务' : '恢复服务';
  return (
    <ReasonModal
      title={`${label}：${v.realName}`}
      okText={label}
      danger={action === 'suspend'}
      note={action === 'suspend' ? '暂停后不再向其派单，已有时长和积分保留。' : undefined}
      busy={set.isPending}
      onClose={onClose}
      onOk={async (reason) => {
        await set.mutateAsync({ action, reason });
        message.success(`已${label}`);
        onClose();
      }}
    />
  );
}

/** 生成激活码: for a volunteer who cannot sign in; the code is shown once, to be passed on. */
function ActivationCodeDialog({ v, onClose }: { v: VolunteerDto; onClose: () => void }) {
  const { message } = App.useApp();
  const issue = useIssueActivationCode(v.id);
  const code = issue.data;
  return (
    <Modal
      open
      title={`生成激活码：${v.realName}`}
      onCancel={onClose}
      destroyOnHidden
      footer={
        code ? (
          <Button type="primary" onClick={onClose}>
            完成
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" loading={issue.isPending} onClick={() => issue.mutate()} data-testid="activation-issue">
              生成激活码
            </Button>
          </Space>
        )
      }
    >
      {code ? (
        <div className="vol-activation" data-testid="activation-code">
          <div className="vol-activation-code">{`${code.code.slice(0, 4)} ${code.code.slice(4)}`}</div>
          <Typography.Paragraph>
            有效期至 <b>{formatDateTime(code.expiresAt)}</b>，只能使用一次。
            <Typography.Text copyable={{ text: code.code, onCopy: () => message.success('已复制激活码') }} />
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            请当面或电话告知本人：在手机上打开文明实践云，点“登录”下方的“激活账号 / 忘记密码”，输入手机号（{v.phone}
            ）、激活码并设置新密码。关闭此窗口后激活码不再显示，如遗失可重新生成（旧的随即失效）。
          </Typography.Paragraph>
        </div>
      ) : (
        <>
          <Typography.Paragraph>用于由站点统一登记、尚未设置密码，或忘记密码的志愿者：本人凭手机号和激活码自行设置密码。</Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            激活码为8位数字，72小时内有效，只能使用一次；重新生成后，之前的激活码失效。本人设置新密码后，其他设备上的登录会退出。此操作会记入操作日志。
          </Typography.Paragraph>
          {issue.isError && <Alert type="error" showIcon title={errorMessage(issue.error)} />}
        </>
      )}
    </Modal>
  );
}

function VolunteerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const screens = Grid.useBreakpoint();
  const v = useVolunteer(id);
  const records = useVolunteerRecords(id);
  const categoryName = useCategoryName();
  const [dialog, setDialog] = useState<null | 'suspend' | 'reactivate'>(null);
  const [activating, setActivating] = useState(false);
  const d = v.data;
  const rows = records.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={screens.md ? 640 : '100%'}
      title={d ? `志愿者：${d.realName}` : '志愿者详情'}
      destroyOnHidden
      extra={
        d && (
          <Space>
            {(d.allowedActions.includes('suspend') || d.allowedActions.includes('reactivate')) && (
              <Button icon={<FileExcelOutlined />} href={nationalRecordUrl(d.id)} data-testid="national-record">
                导出服务记录
              </Button>
            )}
            {d.allowedActions.includes('activationCode') && (
              <Button icon={<KeyOutlined />} onClick={() => setActivating(true)} data-testid="activation-open">
                生成激活码
              </Button>
            )}
            {d.allowedActions.includes('suspend') && (
              <Button danger onClick={() => setDialog('suspend')}>
                暂停服务
              </Button>
            )}
            {d.allowedActions.includes('reactivate') && (
              <Button type="primary" onClick={() => setDialog('reactivate')}>
                恢复服务
              </Button>
            )}
          </Space>
        )
      }
    >
      {!d ? (
        v.isError ? (
          <QueryError error={v.error} onRetry={() => void v.refetch()} />
        ) : (
          <Spin />
        )
      ) : (
        <>
          <Descriptions
            column={2}
            bordered
            size="small"
            items={[
              { key: 'name', label: '姓名', children: d.realName },
              { key: 'status', label: '状态', children: <StatusTag status={d.status} /> },
              { key: 'phone', label: '手机号', children: d.phone },
              { key: 'id', label: '身份证', children: d.idNumber },
              { key: 'org', label: '报到阵地', children: d.orgName, span: 2 },
              { key: 'star', label: '星级', children: <Stars star={d.star} /> },
              { key: 'hours', label: '累计时长', children: `${d.totalHours} 小时` },
              { key: 'points', label: '积分', children: d.points },
              { key: 'ps', label: '政治面貌', children: d.politicalStatus ? POLITICAL_STATUS_NAMES[d.politicalStatus] : '—' },
              ...(d.workUnit ? [{ key: 'unit', label: '工作单位', children: d.workUnit, span: 2 }] : []),
              { key: 'skills', label: '服务技能', children: d.skills.map((s) => <Tag key={s}>{categoryName(s)}</Tag>), span: 2 },
              { key: 'sp', label: '特长', children: d.specialties.join('、') || '—', span: 2 },
              { key: 'teams', label: '所在队伍', children: d.teams.map((t) => t.name).join('、') || '—', span: 2 },
              ...(d.statusReason ? [{ key: 'reason', label: '状态说明', children: d.statusReason, span: 2 }] : []),
              { key: 'at', label: '报到时间', children: formatDateTime(d.createdAt), span: 2 },
            ]}
          />
          <Divider titlePlacement="start">每周可服务时间</Divider>
          {d.availability.length ? <AvailabilityGrid value={d.availability} readOnly /> : <Typography.Text type="secondary">未填写</Typography.Text>}
          <Divider titlePlacement="start">服务记录</Divider>
          {records.isError ? (
            <QueryError error={records.error} onRetry={() => void records.refetch()} />
          ) : (
            <Table
              rowKey="id"
              size="small"
              loading={records.isPending}
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无服务记录" /> }}
              columns={[
                { title: '事项', dataIndex: 'title', render: (t: string | null, r) => t ?? SOURCE_NAMES[r.source] },
                { title: '来源', dataIndex: 'source', width: 64, render: (s: keyof typeof SOURCE_NAMES) => SOURCE_NAMES[s] },
                { title: '时长', dataIndex: 'hours', width: 70, render: (h: number) => `${h}h` },
                { title: '状态', dataIndex: 'status', width: 80, render: (s) => <RecordStatusTag status={s} /> },
                { title: '时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
              ]}
            />
          )}
          {records.hasNextPage && (
            <Button block type="text" onClick={() => void records.fetchNextPage()} loading={records.isFetchingNextPage}>
              加载更多
            </Button>
          )}
          {dialog && <StatusDialog v={d} action={dialog} onClose={() => setDialog(null)} />}
          {activating && <ActivationCodeDialog v={d} onClose={() => setActivating(false)} />}
        </>
      )}
    </Drawer>
  );
}

/** 志愿者: everyone who reported in within the caller's scope, with filters and a detail drawer. */
export function VolunteersPage() {
  useDocumentTitle('志愿者');
  const [input, setInput] = useState('');
  const [filter, setFilter] = useState<VolunteerFilter>({});
  const [open, setOpen] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [exchanging, setExchanging] = useState(false);
  const categories = useCategories();
  const categoryName = useCategoryName();
  const q = useVolunteers(filter);
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<VolunteerFilter>) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <div>
      <PageHeader
        title="志愿者"
        description="在管辖阵地报到的志愿者。按技能、星级、政治面貌筛选；点开查看服务记录，暂停或恢复服务。"
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={importTemplateUrl()} data-testid="download-template">
              下载模板
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
              批量导入
            </Button>
            <Button type="primary" icon={<FileExcelOutlined />} href={exportUrl(filter)} data-testid="export-xlsx">
              导出Excel
            </Button>
            <Button icon={<SwapOutlined />} onClick={() => setExchanging(true)} data-testid="open-national">
              全国系统交换
            </Button>
          </Space>
        }
      />
      <Card>
        <Space wrap className="vol-filters">
          <Input.Search
            allowClear
            placeholder="姓名，或手机号后4位"
            enterButton="搜索"
            style={{ width: 280 }}
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              if (!e.target.value) set({ q: undefined });
            }}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="volunteer-search"
          />
          <Select
            allowClear
            placeholder="服务技能"
            style={{ width: 150 }}
            value={filter.skill}
            onChange={(skill?: string) => set({ skill })}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
          <Select
            allowClear
            placeholder="星级"
            style={{ width: 110 }}
            value={filter.star}
            onChange={(star?: number) => set({ star })}
            options={[0, 1, 2, 3, 4, 5].map((s) => ({ value: s, label: s ? `${s} 星` : '未评星' }))}
          />
          <Select
            allowClear
            placeholder="政治面貌"
            style={{ width: 130 }}
            value={filter.politicalStatus}
            onChange={(politicalStatus?: string) => set({ politicalStatus })}
            options={Object.entries(POLITICAL_STATUS_NAMES).map(([value, label]) => ({ value, label }))}
          />
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 110 }}
            value={filter.status}
            onChange={(status?: string) => set({ status })}
            options={[
              { value: 'active', label: '在岗' },
              { value: 'suspended', label: '已暂停' },
            ]}
          />
        </Space>
        <PagedTable<VolunteerDto>
          query={q}
          items={rows}
          rowKey="id"
          scroll={{ x: 1000 }}
          locale={{ emptyText: '没有符合条件的志愿者' }}
          onRow={(v) => ({ onClick: () => setOpen(v.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '姓名', dataIndex: 'realName', width: 100, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: '手机号', dataIndex: 'phone', width: 130 },
            { title: '报到阵地', dataIndex: 'orgName', ellipsis: true },
            { title: '服务技能', dataIndex: 'skills', render: (s: string[]) => s.map((c) => <Tag key={c}>{categoryName(c)}</Tag>) },
            { title: '星级', dataIndex: 'star', width: 110, render: (s: number) => <Stars star={s} /> },
            { title: '时长', dataIndex: 'totalHours', width: 80, render: (h: number) => `${h}h` },
            {
              title: '政治面貌',
              dataIndex: 'politicalStatus',
              width: 90,
              render: (p: VolunteerDto['politicalStatus']) => (p ? POLITICAL_STATUS_NAMES[p] : '—'),
            },
            { title: '状态', dataIndex: 'status', width: 80, render: (s: VolunteerDto['status']) => <StatusTag status={s} /> },
          ]}
          countText={<>已显示 {rows.length} 位志愿者</>}
        />
      </Card>
      <VolunteerDrawer id={open} onClose={() => setOpen(null)} />
      <VolunteerImportDialog open={importing} onClose={() => setImporting(false)} />
      <NationalExchangeDialog open={exchanging} onClose={() => setExchanging(false)} />
    </div>
  );
}

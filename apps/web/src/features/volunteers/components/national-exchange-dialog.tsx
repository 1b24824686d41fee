import { useState } from 'react';
import { Alert, Button, DatePicker, Divider, Modal, Result, Space, Table, Typography, Upload } from 'antd';
import { FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { nationalExportUrl, useNationalImport, type NationalImportResult } from '../api/volunteer-bulk-api';

const MAX_MB = 10;

/**
 * 全国志愿服务信息系统 交换: export the scope's volunteers and verified hours in the national batch
 * layout, or load such a file into a site (all rows or none; every problem named by sheet and row).
 */
export function NationalExchangeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [exportOrg, setExportOrg] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [importOrg, setImportOrg] = useState<string | undefined>();
  const [result, setResult] = useState<NationalImportResult | null>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useNationalImport();

  const reset = () => {
    setResult(null);
    setProblems(null);
    setError(null);
    load.reset();
  };

  const upload = async (file: File) => {
    reset();
    if (!importOrg) return setError('请先选择志愿者的注册阵地');
    if (file.size > MAX_MB * 1024 * 1024) return setError(`文件超过 ${MAX_MB} MB，请拆分后分批导入`);
    try {
      setResult(await load.mutateAsync({ orgId: importOrg, file }));
    } catch (e) {
      const rows = e instanceof ApiError ? e.details.filter((d) => d.path !== 'file') : [];
      if (rows.length) setProblems(rows);
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      open={open}
      title="与全国志愿服务信息系统交换"
      width={780}
      onCancel={onClose}
      afterClose={reset}
      destroyOnHidden
      footer={<Button onClick={onClose}>关闭</Button>}
    >
      <Typography.Paragraph type="secondary">
        按全国志愿服务信息系统的批量导入版式（志愿者信息、服务记录）导出或导入。文件含完整身份证号，仅限阵地管理员操作，每次导出均记入操作日志。
      </Typography.Paragraph>
      <Divider titlePlacement="start">导出</Divider>
      <Space wrap>
        <OrgSearchSelect value={exportOrg} onChange={(id) => setExportOrg(id)} allowClear placeholder="全部管辖阵地（可选某一阵地）" style={{ width: 300 }} />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['服务日期起', '服务日期止']} allowEmpty={[true, true]} />
        <Button
          type="primary"
          icon={<FileExcelOutlined />}
          href={nationalExportUrl({ orgId: exportOrg, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          data-testid="national-export"
        >
          导出全国系统版式
        </Button>
      </Space>
      <Divider titlePlacement="start">导入</Divider>
      <Space direction="vertical" style={{ width: '100%' }}>
        <OrgSearchSelect value={importOrg} onChange={(id) => setImportOrg(id)} placeholder="新登记的志愿者注册到哪个阵地" style={{ width: 360 }} />
        <Upload.Dragger
          accept=".xlsx"
          showUploadList={false}
          disabled={load.isPending}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
          data-testid="national-import"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入全国系统导出的 .xlsx 文件（≤ {MAX_MB} MB）</p>
          <p className="ant-upload-hint">
            按身份证号匹配已登记的志愿者，不会重复登记；服务记录按记录编号导入，重复导入不会重复计入时长。任何一行有问题则整份不导入。
          </p>
        </Upload.Dragger>
        {load.isPending && <Alert type="info" showIcon title="正在导入…" />}
        {result && (
          <Result
            status="success"
            title="导入完成"
            subTitle={`新登记志愿者 ${result.volunteers.created} 名，已登记 ${result.volunteers.matched} 名；新增服务记录 ${result.records.created} 条（${result.hours} 小时），已有记录 ${result.records.skipped} 条未重复导入。`}
            data-testid="national-import-result"
          />
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="national-import-error" />}
        {problems && (
          <Table
            size="small"
            rowKey={(p) => p.path}
            dataSource={problems}
            pagination={{ pageSize: 8, showSizeChanger: false, showTotal: (n) => `共 ${n} 处问题` }}
            columns={[{ title: '问题（工作表 · 行 · 列）', dataIndex: 'message' }]}
          />
        )}
      </Space>
    </Modal>
  );
}

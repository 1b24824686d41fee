import { useState } from 'react';
import { Alert, Button, Modal, Progress, Result, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportRowError } from '@wenming/contracts';
import { errorMessage } from '../../../lib/api-client';
import { IMPORT_FIELD_NAMES, importErrorsUrl, importTemplateUrl, useImportJob, useStartImport } from '../api/volunteer-bulk-api';

const MAX_MB = 10;

function ErrorTable({ errors, truncated }: { errors: ImportRowError[]; truncated: boolean }) {
  return (
    <>
      <Table<ImportRowError>
        size="small"
        rowKey={(e) => `${e.row}-${e.field}-${e.reason}`}
        dataSource={errors}
        pagination={{ pageSize: 8, showSizeChanger: false, showTotal: (n) => `共 ${n} 条问题` }}
        columns={[
          { title: '行号', dataIndex: 'row', width: 72, render: (r: number) => <Typography.Text strong>第 {r} 行</Typography.Text> },
          { title: '列', dataIndex: 'field', width: 100, render: (f: string) => <Tag>{IMPORT_FIELD_NAMES[f] ?? f}</Tag> },
          { title: '原因', dataIndex: 'reason' },
        ]}
        data-testid="import-errors"
      />
      {truncated && <Typography.Text type="secondary">只显示前 1000 条，全部问题行请下载查看。</Typography.Text>}
    </>
  );
}

/** 批量导入: pick a file, watch the job's progress, read the result and the bad rows. */
export function VolunteerImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const start = useStartImport();
  const [jobId, setJobId] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const job = useImportJob(jobId);
  const j = job.data;
  const finished = j?.state === 'done' || j?.state === 'failed';
  const percent = j && j.total ? Math.floor((j.processed / j.total) * 100) : 0;

  const reset = () => {
    setJobId(null);
    setFileError(null);
    start.reset();
  };

  return (
    <Modal
      open={open}
      title="批量导入志愿者"
      width={760}
      onCancel={onClose}
      afterClose={reset}
      destroyOnHidden
      maskClosable={false}
      footer={
        finished ? (
          <Space>
            <Button onClick={reset}>继续导入其他文件</Button>
            <Button type="primary" onClick={onClose}>
              完成
            </Button>
          </Space>
        ) : (
          <Button onClick={onClose}>{jobId ? '后台继续导入，关闭' : '取消'}</Button>
        )
      }
    >
      {!jobId && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="请使用导入模板填写"
            description={
              <>
                每行一位志愿者，必填：姓名、身份证号、手机号、报到阵地。逐行校验：合格的行导入，有问题的行列出原因、可下载修改后再导入；重复导入同一文件不会重复登记。
                <div style={{ marginTop: 8 }}>
                  <Button size="small" icon={<DownloadOutlined />} href={importTemplateUrl()} data-testid="template-link">
                    下载模板
                  </Button>
                </div>
              </>
            }
          />
          {fileError && <Alert type="error" showIcon title={fileError} style={{ marginBottom: 12 }} data-testid="import-file-error" />}
          <div data-testid="import-dragger">
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={start.isPending}
              beforeUpload={(file) => {
                setFileError(null);
                if (file.size > MAX_MB * 1024 * 1024) {
                  setFileError(`文件超过 ${MAX_MB} MB，请拆分后分批导入`);
                  return Upload.LIST_IGNORE;
                }
                start.mutate(file, { onSuccess: (r) => setJobId(r.id), onError: (e) => setFileError(errorMessage(e)) });
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">{start.isPending ? <FileExcelOutlined /> : <InboxOutlined />}</p>
              <p className="ant-upload-text">{start.isPending ? '正在上传并读取文件…' : '点击或拖入 Excel（.xlsx）或 CSV 文件'}</p>
              <p className="ant-upload-hint">单个文件最多 50000 行、{MAX_MB} MB</p>
            </Upload.Dragger>
          </div>
        </>
      )}

      {jobId && !j && (job.isError ? <Alert type="error" showIcon title={errorMessage(job.error)} /> : <Progress percent={0} status="active" />)}

      {j && !finished && (
        <div data-testid="import-progress">
          <Typography.Paragraph>
            正在导入 <Typography.Text strong>{j.fileName}</Typography.Text>：已处理 {j.processed} / {j.total} 行
          </Typography.Paragraph>
          <Progress percent={percent} status="active" />
          <Space size={32} style={{ marginTop: 8 }}>
            <Statistic title="已导入" value={j.imported} styles={{ content: { color: '#389e0d' } }} />
            <Statistic title="有问题" value={j.failed} styles={{ content: j.failed ? { color: '#cf1322' } : undefined }} />
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            可以关闭此窗口，导入会在后台继续。
          </Typography.Paragraph>
        </div>
      )}

      {j && finished && (
        <div data-testid="import-result">
          <Result
            style={{ padding: '8px 0 16px' }}
            status={j.state === 'failed' ? 'error' : j.failed ? 'warning' : 'success'}
            title={j.state === 'failed' ? '导入中断' : j.failed ? `导入完成，${j.failed} 行有问题未导入` : '导入完成'}
            subTitle={j.state === 'failed' ? j.message : `${j.fileName}：共 ${j.total} 行，成功导入 ${j.imported} 位志愿者`}
          />
          <Space size={32} style={{ marginBottom: 16, width: '100%', justifyContent: 'center' }}>
            <Statistic title="总行数" value={j.total} />
            <Statistic title="已导入" value={j.imported} styles={{ content: { color: '#389e0d' } }} />
            <Statistic title="有问题" value={j.failed} styles={{ content: j.failed ? { color: '#cf1322' } : undefined }} />
          </Space>
          {j.errors.length > 0 && (
            <>
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
                <Typography.Text strong>问题行</Typography.Text>
                <Button icon={<DownloadOutlined />} href={importErrorsUrl(j.id)} data-testid="download-bad-rows">
                  下载问题行（Excel）
                </Button>
              </div>
              <ErrorTable errors={j.errors} truncated={j.errorsTruncated} />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}

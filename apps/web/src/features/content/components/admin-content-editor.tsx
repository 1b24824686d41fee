import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ZCreateContentBody, type TUpdateContentBody } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PhotoUpload } from '../../../components/photo-upload';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { KIND_NAMES, KINDS, STATE_NAMES, useColumns, useContent, useContentMutations, type ContentDto, type TContentKind } from '../api/content-api';
import { RichTextEditor } from './rich-text-editor';
import './content.css';

interface Values {
  orgId?: string;
  kind: TContentKind;
  columnId?: string | null;
  title?: string;
  summary?: string;
  cover?: string[];
  mediaUrl?: string;
  mediaType?: 'video' | 'audio';
  speaker?: string;
  bodyHtml?: string;
}
const FIELDS = ['orgId', 'kind', 'columnId', 'title', 'summary', 'coverId', 'mediaUrl', 'mediaType', 'speaker', 'bodyHtml'] as const;

function ColumnSelect({
  orgId,
  kind,
  value,
  onChange,
  id,
}: {
  orgId?: string;
  kind: TContentKind;
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
}) {
  const { message } = App.useApp();
  const columns = useColumns({ orgId, kind });
  const m = useContentMutations();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={id}
        allowClear
        value={value ?? undefined}
        onChange={(v) => onChange?.(v ?? null)}
        placeholder={orgId ? '可不选，例如 党史记忆' : '请先选择发布阵地'}
        disabled={!orgId}
        loading={columns.isFetching}
        options={(columns.data ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.orgName}）` }))}
        notFoundContent="暂无栏目"
      />
      <Button icon={<PlusOutlined />} disabled={!orgId} onClick={() => setOpen(true)}>
        新建栏目
      </Button>
      <Modal
        title={`新建${KIND_NAMES[kind]}栏目`}
        open={open}
        okText="创建"
        cancelText="取消"
        confirmLoading={m.createColumn.isPending}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          try {
            const c = await m.createColumn.mutateAsync({ orgId: orgId!, kind, name: name.trim() });
            onChange?.(c.id);
            setOpen(false);
            setName('');
            message.success(`已创建栏目：${c.name}`);
          } catch (e) {
            message.error(errorMessage(e));
          }
        }}
      >
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={30} placeholder="例如：党史记忆" aria-label="栏目名称" />
      </Modal>
    </Space.Compact>
  );
}

/** 新建 / 编辑内容. Published items are read-only here until they are withdrawn. */
export function AdminContentEditor() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  useDocumentTitle(isNew ? '新建内容' : '编辑内容');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const existing = useContent(isNew ? undefined : id);
  const m = useContentMutations();
  const [formError, setFormError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? 'news';
  const orgId = Form.useWatch('orgId', form);
  const item: ContentDto | undefined = existing.data;
  const readOnly = item?.state === 'published';

  useEffect(() => {
    if (!item) return;
    form.setFieldsValue({
      orgId: item.orgId,
      kind: item.kind,
      columnId: item.columnId,
      title: item.title,
      summary: item.summary ?? undefined,
      cover: item.coverId ? [item.coverId] : [],
      mediaUrl: item.mediaUrl ?? undefined,
      mediaType: item.mediaType ?? undefined,
      speaker: item.speaker ?? undefined,
      bodyHtml: item.bodyHtml,
    });
  }, [item, form]);

  if (!isNew && existing.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!isNew && existing.isError) return <QueryError error={existing.error} onRetry={() => void existing.refetch()} />;

  const save = async (andPublish: boolean) => {
    setFormError(null);
    const v = form.getFieldsValue(true) as Values;
    const media = v.kind === 'lecture' && v.mediaUrl?.trim() ? { mediaUrl: v.mediaUrl.trim(), mediaType: v.mediaType } : {};
    const body = validateForm(form, ZCreateContentBody, {
      orgId: v.orgId,
      kind: v.kind,
      title: v.title ?? '',
      summary: v.summary?.trim() || undefined,
      bodyHtml: v.bodyHtml ?? '',
      columnId: v.columnId ?? undefined,
      coverId: v.cover?.[0],
      speaker: v.kind === 'lecture' ? v.speaker?.trim() || undefined : undefined,
      ...media,
    });
    if (!body) return;
    try {
      let saved: ContentDto;
      if (isNew) saved = await m.create.mutateAsync(body);
      else {
        const patch: TUpdateContentBody = {
          title: body.title,
          summary: body.summary ?? null,
          bodyHtml: body.bodyHtml,
          columnId: body.columnId ?? null,
          coverId: body.coverId ?? null,
          mediaUrl: body.mediaUrl ?? null,
          mediaType: body.mediaType ?? null,
          speaker: body.speaker ?? null,
        };
        saved = await m.update.mutateAsync({ id: item!.id, patch });
      }
      if (andPublish) {
        await m.publish.mutateAsync(saved.id);
        message.success('已发布，居民现在可以看到');
      } else message.success('草稿已保存');
      navigate(andPublish ? '/admin/contents' : `/admin/contents/${saved.id}`, { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <div>
      <PageHeader
        title={isNew ? '新建内容' : readOnly ? '查看内容' : '编辑内容'}
        description={
          item
            ? `${STATE_NAMES[item.state]}${item.publishedAt ? ` · 发布于 ${formatDateTime(item.publishedAt)}` : ''} · 阅读 ${item.readCount}`
            : '资讯、政策解读、云讲堂、掌上悦读，保存为草稿或直接发布。'
        }
        extra={
          <Link to="/admin/contents">
            <Button icon={<ArrowLeftOutlined />}>返回列表</Button>
          </Link>
        }
      />
      {readOnly && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="这条内容已发布，居民正在阅读。如需修改，请先下线。"
          action={
            <Button
              size="small"
              danger
              onClick={async () => {
                try {
                  await m.withdraw.mutateAsync(item!.id);
                  message.success('已下线，现在可以修改');
                  void existing.refetch();
                } catch (e) {
                  message.error(errorMessage(e));
                }
              }}
            >
              下线并修改
            </Button>
          }
        />
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'news', cover: [] }}
        onValuesChange={clearErrorsOnChange(form)}
        disabled={readOnly}
        requiredMark
      >
        <Row gutter={24}>
          <Col xs={24} lg={16}>
            <Card>
              <Form.Item name="title" label="标题" required>
                <Input maxLength={100} showCount placeholder="例如：师范街社区开展垃圾分类宣讲" />
              </Form.Item>
              <Form.Item name="summary" label="摘要" extra="显示在列表中，可不填">
                <Input.TextArea maxLength={300} showCount autoSize={{ minRows: 2, maxRows: 4 }} />
              </Form.Item>
              <Form.Item name="bodyHtml" label="正文">
                <RichTextEditor />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card>
              <Form.Item name="kind" label="类型" required>
                <Segmented block disabled={!isNew || readOnly} options={KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))} />
              </Form.Item>
              <Form.Item name="orgId" label="发布阵地" required extra="本阵地、下级阵地的居民都能看到">
                <OrgSearchSelect placeholder="输入名称搜索阵地" />
              </Form.Item>
              <Form.Item name="columnId" label="栏目">
                <ColumnSelect orgId={orgId} kind={kind} />
              </Form.Item>
              <Form.Item name="cover" label="封面图">
                <PhotoUpload max={1} />
              </Form.Item>
              {kind === 'lecture' && (
                <>
                  <Form.Item name="speaker" label="主讲人">
                    <Input maxLength={50} placeholder="例如：王老师" />
                  </Form.Item>
                  <Form.Item name="mediaType" label="音视频类型" initialValue="video">
                    <Segmented
                      options={[
                        { value: 'video', label: '视频' },
                        { value: 'audio', label: '音频' },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item name="mediaUrl" label="音视频地址" extra="可播放的 mp4 / mp3 等文件链接">
                    <Input placeholder="https://" />
                  </Form.Item>
                </>
              )}
              {!readOnly && (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Button
                    type="primary"
                    block
                    size="large"
                    onClick={() => void save(true)}
                    loading={m.create.isPending || m.update.isPending || m.publish.isPending}
                    data-testid="content-publish"
                  >
                    保存并发布
                  </Button>
                  <Button block onClick={() => void save(false)} loading={m.create.isPending || m.update.isPending} data-testid="content-save">
                    保存草稿
                  </Button>
                </Space>
              )}
              {item && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
                  作者：{item.authorName ?? '—'}　<Tag>{KIND_NAMES[item.kind]}</Tag>
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
        </Row>
      </Form>
    </div>
  );
}

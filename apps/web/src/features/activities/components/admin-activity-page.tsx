import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Input,
  List,
  Modal,
  Popconfirm,
  Rate,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, EditOutlined, ExportOutlined, FormOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { LoadFailure } from '../../../components/load-failure';
import { PhotoUpload } from '../../../components/photo-upload';
import { QueryError } from '../../../components/query-error';
import { errorMessage, isApiError } from '../../../lib/api-client';
import { useCategoryName } from '../../../lib/categories';
import { useXlsxDownload } from '../../../lib/download';
import { formatCoord, formatDateTime, isoToLocalInput, localInputToIso } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import {
  useActivity,
  useActivityRatings,
  useActivitySeries,
  useActivityTransition,
  useAttendance,
  usePublishReport,
  useSignups,
  useTeamName,
  type ActivityDto,
  type SignupDto,
} from '../api/activities-api';
import {
  attendanceShare,
  eligibilityOf,
  formatDuration,
  formatTimeRange,
  MIN_ATTENDANCE_SHARE,
  ROLE_NAMES,
  SIGNUP_STATUS_NAMES,
  weeklyLabel,
} from './activity-format';
import { ActivityPhotos } from './activity-photos';
import { ActivityStateTag } from './activity-tags';
import { activityLink } from './share-sheet';
import './activities.css';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** 补录出勤: for people who could not scan (no phone, flat battery); the reason is kept and audited. */
function AttendanceModal({ a, signup, onClose }: { a: ActivityDto; signup: SignupDto; onClose: () => void }) {
  const { message } = App.useApp();
  const save = useAttendance(a.id);
  const [checkinAt, setCheckinAt] = useState(isoToLocalInput(signup.checkinAt ?? a.startsAt));
  const [checkoutAt, setCheckoutAt] = useState(isoToLocalInput(signup.checkoutAt ?? a.endsAt));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const span = checkinAt && checkoutAt ? Date.parse(localInputToIso(checkoutAt)!) - Date.parse(localInputToIso(checkinAt)!) : NaN;
  const submit = async () => {
    setError(null);
    if (!checkinAt || !checkoutAt) return setError('请填写签到和签退时间');
    if (!(span >= 0)) return setError('签退时间不能早于签到时间');
    if (!reason.trim()) return setError('请填写补录原因');
    try {
      await save.mutateAsync({ signupId: signup.id, checkinAt: localInputToIso(checkinAt)!, checkoutAt: localInputToIso(checkoutAt)!, reason: reason.trim() });
      message.success(`已补录 ${signup.name} 的出勤`);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title={`补录出勤：${signup.name}`}
      okText="保存"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={520}
    >
      <Typography.Paragraph type="secondary">用于未能扫码的人员（如没有智能手机）。补录会记入操作日志，请如实填写原因。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <div className="act-attendance-grid">
        <label>
          <span>签到时间</span>
          <Input type="datetime-local" value={checkinAt} onChange={(e) => setCheckinAt(e.target.value)} data-testid="attendance-checkin" />
        </label>
        <label>
          <span>签退时间</span>
          <Input type="datetime-local" value={checkoutAt} onChange={(e) => setCheckoutAt(e.target.value)} data-testid="attendance-checkout" />
        </label>
      </div>
      <Space size={8} style={{ margin: '8px 0 12px' }}>
        <Button
          size="small"
          onClick={() => (setCheckinAt(isoToLocalInput(a.startsAt)), setCheckoutAt(isoToLocalInput(a.endsAt)))}
          data-testid="attendance-full"
        >
          全程参加
        </Button>
        {Number.isFinite(span) && span >= 0 && <Typography.Text type="secondary">在场 {formatDuration(span)}</Typography.Text>}
      </Space>
      <label className="act-attendance-reason">
        <span>补录原因</span>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          showCount
          autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder="如：老人没有智能手机，现场纸质签到表核对"
          data-testid="attendance-reason"
        />
      </label>
    </Modal>
  );
}

/** 结束活动: a summary, and a decision for each volunteer under 60 % attendance (no hours unless confirmed with a reason). */
function FinishModal({ a, signups, onClose }: { a: ActivityDto; signups: SignupDto[]; onClose: () => void }) {
  const { message } = App.useApp();
  const finish = useActivityTransition(a.id);
  const [summary, setSummary] = useState('');
  const [overrides, setOverrides] = useState<Record<string, { on: boolean; reason: string }>>({});
  const [error, setError] = useState<string | null>(null);
  const volunteers = signups.filter((s) => s.role === 'volunteer' && s.status === 'registered');
  const rows = volunteers.map((s) => ({ s, share: attendanceShare(a, s.checkinAt, s.checkoutAt) }));
  const earning = rows.filter((r) => r.share !== null && r.share >= MIN_ATTENDANCE_SHARE && (r.s.hours ?? 0) > 0);
  const low = rows.filter((r) => r.share !== null && r.share < MIN_ATTENDANCE_SHARE && (r.s.hours ?? 0) > 0);
  const absent = rows.filter((r) => r.share === null);
  const submit = async () => {
    setError(null);
    const chosen = low.filter((r) => overrides[r.s.id]?.on);
    const missing = chosen.filter((r) => !overrides[r.s.id]?.reason.trim());
    if (missing.length) return setError(`请填写认定理由：${missing.map((r) => r.s.name).join('、')}`);
    try {
      const r = await finish.mutateAsync({
        action: 'finish',
        body: {
          summary: summary.trim() || undefined,
          overrides: chosen.length ? chosen.map((c) => ({ signupId: c.s.id, reason: overrides[c.s.id]!.reason.trim() })) : undefined,
        },
      });
      message.success(`活动已结束，生成 ${r.recordsCreated ?? 0} 条待审核的服务时长记录`);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title="结束活动"
      okText="结束活动"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={finish.isPending}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph>
        结束后不能再签到、补录。系统按签到、签退时间与活动时间的重合部分为志愿者生成<b>待审核</b>的服务时长（按 0.1 小时向下取整），经工作人员审核后计入。
      </Typography.Paragraph>
      <Alert
        type="info"
        showIcon
        title={`将为 ${earning.length + low.filter((r) => overrides[r.s.id]?.on).length} 位志愿者生成服务时长`}
        description={
          absent.length
            ? `${absent.length} 位志愿者没有完整的签到签退记录（${absent.map((r) => r.s.name).join('、')}），不生成时长；如确实到场，请先关闭此窗口补录出勤。`
            : undefined
        }
        style={{ marginBottom: 12 }}
        data-testid="finish-summary"
      />
      {low.length > 0 && (
        <div className="act-finish-low">
          <Typography.Text strong>出勤不足 60% 的志愿者（默认不计时长）</Typography.Text>
          {low.map(({ s, share }) => {
            const o = overrides[s.id] ?? { on: false, reason: '' };
            return (
              <div key={s.id} className="act-finish-low-row">
                <Checkbox checked={o.on} onChange={(e) => setOverrides({ ...overrides, [s.id]: { ...o, on: e.target.checked } })}>
                  {s.name}：出勤 {pct(share)}，{s.hours} 小时 — 仍然认定
                </Checkbox>
                {o.on && (
                  <Input
                    size="small"
                    value={o.reason}
                    maxLength={500}
                    placeholder="认定理由（如：受组织方安排提前离场）"
                    onChange={(e) => setOverrides({ ...overrides, [s.id]: { ...o, reason: e.target.value } })}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
      <Typography.Text strong>活动总结</Typography.Text>
      <Input.TextArea
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
        maxLength={20000}
        autoSize={{ minRows: 3, maxRows: 8 }}
        placeholder="选填：参与人数、服务成效、后续安排等，会显示在活动页"
        style={{ marginTop: 6 }}
        data-testid="finish-text"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

function SignupsCard({ a }: { a: ActivityDto }) {
  const q = useSignups(a.id, { refetchInterval: a.state === 'published' ? 30_000 : undefined });
  const [editing, setEditing] = useState<SignupDto | null>(null);
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const all = useMemo(() => q.data ?? [], [q.data]);
  const rows = showWithdrawn ? all : all.filter((s) => s.status !== 'withdrawn');
  const counts = useMemo(() => {
    const active = all.filter((s) => s.status === 'registered');
    return {
      registered: active.length,
      waitlisted: all.filter((s) => s.status === 'waitlisted').length,
      checkedIn: active.filter((s) => s.checkinAt).length,
      withdrawn: all.filter((s) => s.status === 'withdrawn').length,
    };
  }, [all]);
  const canMark = a.allowedActions.includes('attendance');
  const xlsx = useXlsxDownload();
  return (
    <Card
      title="报名与出勤"
      className="act-admin-card"
      extra={
        <Space>
          {counts.withdrawn > 0 && (
            <Checkbox checked={showWithdrawn} onChange={(e) => setShowWithdrawn(e.target.checked)}>
              显示已取消报名（{counts.withdrawn}）
            </Checkbox>
          )}
          <Button
            icon={<DownloadOutlined />}
            disabled={!all.length}
            loading={xlsx.busy}
            onClick={() => void xlsx.download(`/activities/${a.id}/signups/export`, {}, `${a.title}-报名与出勤名单.xlsx`)}
            data-testid="export-signups"
          >
            导出名单（Excel）
          </Button>
        </Space>
      }
    >
      {q.isError ? (
        isApiError(q.error) && q.error.status === 403 ? (
          <Alert type="info" showIcon title="只有活动的组织者可以查看报名名单。" />
        ) : (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        )
      ) : (
        <>
          <div className="act-admin-counts" data-testid="signup-counts">
            <span>
              已报名 <b>{counts.registered}</b>
            </span>
            <span>
              候补 <b>{counts.waitlisted}</b>
            </span>
            <span>
              已签到 <b>{counts.checkedIn}</b>
            </span>
          </div>
          <Table<SignupDto>
            rowKey="id"
            loading={q.isPending}
            dataSource={rows}
            pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 1000 }}
            size="middle"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={a.state === 'draft' ? '活动发布后开始接受报名' : '还没有人报名'} /> }}
            data-testid="signup-table"
            columns={[
              { title: '姓名', dataIndex: 'name', width: 110, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
              {
                title: '身份',
                dataIndex: 'role',
                width: 80,
                render: (r: SignupDto['role']) => <Tag color={r === 'volunteer' ? 'red' : 'blue'}>{ROLE_NAMES[r]}</Tag>,
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 110,
                render: (s: SignupDto['status']) => (
                  <Tag color={s === 'registered' ? 'green' : s === 'waitlisted' ? 'orange' : 'default'}>{SIGNUP_STATUS_NAMES[s]}</Tag>
                ),
              },
              {
                title: '签到',
                dataIndex: 'checkinAt',
                width: 150,
                render: (t: string | null) => (t ? formatDateTime(t) : <Typography.Text type="secondary">未签到</Typography.Text>),
              },
              {
                title: '签退',
                dataIndex: 'checkoutAt',
                width: 150,
                render: (t: string | null) => (t ? formatDateTime(t) : <Typography.Text type="secondary">—</Typography.Text>),
              },
              {
                title: '出勤',
                key: 'share',
                width: 80,
                render: (_: unknown, s) => {
                  const share = attendanceShare(a, s.checkinAt, s.checkoutAt);
                  return share !== null && share < MIN_ATTENDANCE_SHARE ? (
                    <Tooltip title="不足 60%，结束活动时默认不计时长">
                      <Typography.Text type="warning">{pct(share)}</Typography.Text>
                    </Tooltip>
                  ) : (
                    pct(share)
                  );
                },
              },
              {
                title: '时长',
                dataIndex: 'hours',
                width: 90,
                render: (h: number | null) => (h === null ? '—' : <Typography.Text strong>{h} 小时</Typography.Text>),
              },
              { title: '补录说明', dataIndex: 'attendanceNote', ellipsis: true, render: (n: string | null) => n ?? '—' },
              {
                title: '操作',
                key: 'op',
                width: 110,
                fixed: 'right',
                render: (_: unknown, s) =>
                  canMark && s.status === 'registered' ? (
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid="attendance-button">
                      补录出勤
                    </Button>
                  ) : null,
              },
            ]}
          />
        </>
      )}
      {editing && <AttendanceModal a={a} signup={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function ActionsBar({ a }: { a: ActivityDto }) {
  const { message } = App.useApp();
  const move = useActivityTransition(a.id);
  const signups = useSignups(a.id, { enabled: a.allowedActions.includes('finish') || a.allowedActions.includes('cancel') });
  const [finishing, setFinishing] = useState(false);
  const can = (x: ActivityDto['allowedActions'][number]) => a.allowedActions.includes(x);
  const people = (signups.data ?? []).filter((s) => s.status !== 'withdrawn').length;
  const run = async (action: 'publish' | 'cancel', done: string) => {
    try {
      await move.mutateAsync({ action });
      message.success(done);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const items: ReactNode[] = [];
  if (can('edit'))
    items.push(
      <Link key="edit" to={`/admin/activities/${a.id}/edit`}>
        <Button icon={<FormOutlined />} data-testid="activity-edit">
          编辑草稿
        </Button>
      </Link>,
    );
  if (can('checkinCode'))
    items.push(
      <Button key="screen" icon={<QrcodeOutlined />} href={`/screen/checkin/${a.id}`} target="_blank" data-testid="open-screen">
        签到大屏
      </Button>,
    );
  if (can('publish'))
    items.push(
      <Popconfirm
        key="publish"
        title="发布这个活动？"
        description="发布后居民和志愿者即可看到并报名。"
        okText="发布"
        cancelText="取消"
        onConfirm={() => run('publish', '已发布，开始招募')}
      >
        <Button type={a.seriesId ? 'default' : 'primary'} loading={move.isPending && move.variables?.action === 'publish'} data-testid="activity-publish">
          {a.seriesId ? '只发布本次' : '发布'}
        </Button>
      </Popconfirm>,
    );
  if (can('finish'))
    items.push(
      <Button key="finish" type="primary" onClick={() => setFinishing(true)} data-testid="activity-finish">
        结束活动
      </Button>,
    );
  if (can('cancel'))
    items.push(
      <Popconfirm
        key="cancel"
        title="取消这个活动？"
        description={people ? `已报名的 ${people} 人会收到取消通知。取消后不能恢复。` : '取消后不能恢复。'}
        okText="取消活动"
        okButtonProps={{ danger: true }}
        cancelText="再想想"
        onConfirm={() => run('cancel', '活动已取消，已通知报名者')}
      >
        <Button danger loading={move.isPending && move.variables?.action === 'cancel'} data-testid="activity-cancel">
          取消活动
        </Button>
      </Popconfirm>,
    );
  return (
    <>
      <Space wrap>{items}</Space>
      {finishing && <FinishModal a={a} signups={signups.data ?? []} onClose={() => setFinishing(false)} />}
    </>
  );
}

/** 每周系列: every occurrence (each a link) and 发布整个系列 while drafts remain. */
function SeriesCard({ a }: { a: ActivityDto }) {
  const { message } = App.useApp();
  const q = useActivitySeries(a.seriesId);
  const items = q.data ?? [];
  // Publishing goes through a draft the caller may publish; the server then publishes every draft of the series.
  const firstDraft = items.find((o) => o.state === 'draft' && o.allowedActions.includes('publish'));
  const drafts = items.filter((o) => o.state === 'draft').length;
  const publish = useActivityTransition(firstDraft?.id ?? a.id);
  const run = async () => {
    try {
      await publish.mutateAsync({ action: 'publish', body: { series: true } });
      message.success(`已发布整个系列（${drafts} 次活动），开始招募`);
      void q.refetch();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      title={
        <Space size={8}>
          每周系列活动
          {items.length > 0 && <Typography.Text type="secondary">{weeklyLabel(items)}</Typography.Text>}
        </Space>
      }
      className="act-admin-card"
      extra={
        firstDraft ? (
          <Popconfirm
            title="发布整个系列？"
            description={`${drafts} 次草稿将一起发布，居民和志愿者即可分别报名每一次。`}
            okText="全部发布"
            cancelText="取消"
            onConfirm={() => void run()}
          >
            <Button type="primary" loading={publish.isPending} data-testid="series-publish">
              发布整个系列
            </Button>
          </Popconfirm>
        ) : null
      }
      data-testid="series-card"
    >
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List
          loading={q.isPending}
          size="small"
          dataSource={items}
          className="act-series-list"
          renderItem={(o, k) => (
            <List.Item className={o.id === a.id ? 'act-series-current' : undefined} data-testid="series-item" data-id={o.id}>
              <Space size={12} wrap>
                <Typography.Text type="secondary" className="act-series-no">
                  第 {k + 1} 次
                </Typography.Text>
                {o.id === a.id ? (
                  <Typography.Text strong>{formatTimeRange(o.startsAt, o.endsAt)}（本次）</Typography.Text>
                ) : (
                  <Link to={`/admin/activities/${o.id}`}>{formatTimeRange(o.startsAt, o.endsAt)}</Link>
                )}
                <ActivityStateTag activity={o} organiser />
                {o.state !== 'draft' && <Typography.Text type="secondary">报名 {o.volunteerRegistered + o.publicRegistered} 人</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 发布活动报道 (宣传展示): the summary (prefilled from the one given at 结束) and pictures, shown on the phone's 活动风采. */
function ReportCard({ a }: { a: ActivityDto }) {
  const { message } = App.useApp();
  const publish = usePublishReport(a.id);
  const canWrite = a.allowedActions.includes('report');
  const [editing, setEditing] = useState(!a.report && canWrite);
  const [summary, setSummary] = useState(a.report?.summary ?? a.summary ?? '');
  const [photoIds, setPhotoIds] = useState<string[]>(a.report?.photoIds ?? a.photoIds);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    if (!summary.trim()) return setError('请填写活动总结');
    try {
      await publish.mutateAsync({ summary: summary.trim(), photoIds });
      message.success(a.report ? '活动报道已更新' : '活动报道已发布，居民可在手机“活动风采”中看到');
      setEditing(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!a.report && !canWrite) return null;
  return (
    <Card
      title="活动报道"
      className="act-admin-card"
      data-testid="report-card"
      extra={
        a.report && canWrite && !editing ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="report-edit">
            修改报道
          </Button>
        ) : a.report ? (
          <Typography.Text type="secondary">发布于 {formatDateTime(a.report.publishedAt)}</Typography.Text>
        ) : null
      }
    >
      {editing ? (
        <div className="act-report-form">
          {!a.report && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              写几句活动情况、配上现场照片发布，居民可以在手机上的“活动风采”里看到。{a.summary ? '已带入结束活动时填写的总结，可以修改。' : ''}
            </Typography.Paragraph>
          )}
          <Input.TextArea
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            maxLength={20000}
            showCount
            autoSize={{ minRows: 4, maxRows: 12 }}
            placeholder="如：本次活动共有 30 名志愿者参加，为 120 位老人测量血压……"
            data-testid="report-summary"
          />
          <div className="act-report-photos">
            <Typography.Text strong>现场照片</Typography.Text>
            <Typography.Text type="secondary">（最多 9 张，第一张作为封面）</Typography.Text>
            <div style={{ marginTop: 8 }} data-testid="report-photos-upload">
              <PhotoUpload value={photoIds} onChange={setPhotoIds} max={9} />
            </div>
          </div>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Space>
            {a.report && (
              <Button
                onClick={() => {
                  setEditing(false);
                  setSummary(a.report?.summary ?? '');
                  setPhotoIds(a.report?.photoIds ?? []);
                  setError(null);
                }}
              >
                取消
              </Button>
            )}
            <Button type="primary" onClick={() => void submit()} loading={publish.isPending} data-testid="report-submit">
              {a.report ? '保存修改' : '发布活动报道'}
            </Button>
          </Space>
        </div>
      ) : a.report ? (
        <div data-testid="report-view">
          <div className="act-pre act-report-text">{a.report.summary}</div>
          <ActivityPhotos ids={a.report.photoIds} alt={`${a.title} 现场照片`} variant="strip" />
        </div>
      ) : null}
    </Card>
  );
}

/** 活动评价: the average, the count and each (masked) rating. */
function RatingsCard({ a }: { a: ActivityDto }) {
  const q = useActivityRatings(a.id);
  const items = q.data ?? [];
  return (
    <Card
      title="活动评价"
      className="act-admin-card"
      data-testid="ratings-card"
      extra={
        a.rating.count ? (
          <Space size={8} data-testid="rating-average">
            <Rate disabled allowHalf value={a.rating.average ?? 0} style={{ fontSize: 16 }} />
            <Typography.Text strong style={{ fontSize: 18 }}>
              {a.rating.average?.toFixed(1)}
            </Typography.Text>
            <Typography.Text type="secondary">{a.rating.count} 人评价</Typography.Text>
          </Space>
        ) : null
      }
    >
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List
          loading={q.isPending}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有人评价。签到参加过的志愿者和群众可在手机上评价。" /> }}
          pagination={items.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          renderItem={(r) => (
            <List.Item data-testid="rating-item">
              <div className="act-rating-row">
                <Space size={12}>
                  <Typography.Text strong>{r.name}</Typography.Text>
                  <Rate disabled value={r.score} style={{ fontSize: 14 }} />
                  <Typography.Text type="secondary">{formatDateTime(r.at)}</Typography.Text>
                </Space>
                {r.comment && <div className="act-pre act-rating-comment">{r.comment}</div>}
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 活动详情 (admin): the facts, the actions its state allows, and the sign-up and attendance list. */
export function AdminActivityPage() {
  const { id } = useParams();
  const q = useActivity(id);
  const categoryName = useCategoryName();
  const team = useTeamName(q.data?.teamId);
  useDocumentTitle(q.data?.title ?? '活动详情');
  if (q.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (q.isError)
    return (
      <LoadFailure
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个活动"
        subTitle="活动不存在，或不在您的管辖范围内。"
        back={{ to: '/admin/activities', label: '返回活动列表' }}
      />
    );
  const a = q.data;
  const rules = eligibilityOf(a, categoryName);
  return (
    <div className="act-admin-detail">
      <div className="act-admin-back">
        <Link to="/admin/activities">
          <ArrowLeftOutlined /> 活动管理
        </Link>
      </div>
      <div className="page-header act-admin-head">
        <div style={{ minWidth: 0 }}>
          <Space size={8} wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="activity-title">
              {a.title}
            </Typography.Title>
            <ActivityStateTag activity={a} organiser />
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {formatTimeRange(a.startsAt, a.endsAt)} · {a.orgName}
          </Typography.Paragraph>
        </div>
        <div className="page-header-extra">
          <ActionsBar a={a} />
        </div>
      </div>
      {a.state === 'draft' && <Alert type="warning" showIcon title="草稿：核对信息后点“发布”，居民和志愿者才能看到并报名。" style={{ marginBottom: 16 }} />}
      <Card className="act-admin-card">
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          size="middle"
          items={[
            { key: 'cat', label: '服务类别', children: categoryName(a.category) },
            { key: 'org', label: '举办阵地', children: a.orgName },
            { key: 'team', label: '承办队伍', children: a.teamId ? (team.data ?? '—') : '未指定' },
            { key: 'time', label: '活动时间', children: formatTimeRange(a.startsAt, a.endsAt) },
            { key: 'deadline', label: '报名截止', children: formatDateTime(a.signupDeadline) },
            { key: 'created', label: '创建时间', children: formatDateTime(a.createdAt) },
            {
              key: 'quota',
              label: '志愿者名额',
              children: (
                <span data-testid="volunteer-quota">
                  已报 {a.volunteerRegistered} / {a.volunteerQuota}
                </span>
              ),
            },
            { key: 'pquota', label: '群众名额', children: a.publicQuota ? `已报 ${a.publicRegistered} / ${a.publicQuota}` : '不招群众' },
            { key: 'rules', label: '报名条件', children: rules.length ? rules.join('；') : '不限' },
            { key: 'addr', label: '活动地址', children: a.address ?? '—' },
            { key: 'coord', label: '位置', children: formatCoord(a.lat, a.lng) },
            { key: 'fence', label: '签到范围', children: a.geofenceM ? `活动地点 ${a.geofenceM} 米内` : '不限位置' },
            {
              key: 'desc',
              label: '活动介绍',
              span: 'filled',
              children: <div className="act-pre">{a.description || '—'}</div>,
            },
            ...(a.summary && !a.report
              ? [{ key: 'summary', label: '活动总结', span: 'filled' as const, children: <div className="act-pre">{a.summary}</div> }]
              : []),
            ...(a.photoIds.length
              ? [
                  {
                    key: 'photos',
                    label: '活动图片',
                    span: 'filled' as const,
                    children: <ActivityPhotos ids={a.photoIds} alt={a.title} variant="strip" testId="activity-photos" />,
                  },
                ]
              : []),
          ]}
        />
        {a.state === 'published' && (
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
            报名页：
            <Typography.Link href={activityLink(a.id)} target="_blank" copyable={{ text: activityLink(a.id), tooltips: ['复制', '已复制'] }}>
              {activityLink(a.id)} <ExportOutlined />
            </Typography.Link>
          </Typography.Paragraph>
        )}
      </Card>
      {a.seriesId && <SeriesCard a={a} />}
      {a.state === 'finished' && <ReportCard key={a.report?.publishedAt ?? 'new'} a={a} />}
      {a.state === 'finished' && <RatingsCard a={a} />}
      {a.state !== 'draft' && <SignupsCard a={a} />}
    </div>
  );
}

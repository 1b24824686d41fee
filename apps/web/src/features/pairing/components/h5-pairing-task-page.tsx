import { useState } from 'react';
import { Alert, App, Button, Checkbox, Empty, Image, Input, Modal, Skeleton, Space, Tag } from 'antd';
import { AimOutlined, CheckCircleFilled, ClockCircleOutlined, EnvironmentOutlined, PhoneFilled, WarningFilled } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import type { MeDto, PairingTaskDto } from '@wenming/contracts';
import { PhotoUpload, photoUrl } from '../../../components/photo-upload';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useLogVisit, useMissVisit, usePairingTask } from '../api/pairing-api';
import { formatDue, TaskKindTag, TaskStateTag } from './pairing-format';
import './pairing.css';

const HOURS = [1, 1.5, 2, 3];
const MISS_REASONS = ['老人不在家', '老人外出住院', '老人去子女家小住', '我临时有事，已电话问候'];
const RECORD_STATUS: Record<string, string> = { pending: '待审核', verified: '已计入', rejected: '未通过', revoked: '已撤销' };

function Residents({ t }: { t: PairingTaskDto }) {
  return (
    <>
      {t.residents.map((r) => (
        <section key={r.id} className="h5-card pairing-elder">
          <div className="pairing-elder-name">
            {r.name}
            {r.birthYear && <span className="pairing-elder-age">{new Date().getFullYear() - r.birthYear} 岁</span>}
          </div>
          {r.tags.length > 0 && (
            <div className="pairing-elder-tags">
              {r.tags.map((tag) => (
                <Tag key={tag} color="orange">
                  {tag}
                </Tag>
              ))}
            </div>
          )}
          <div className="pairing-task-line">
            <EnvironmentOutlined /> {r.address}
          </div>
          {r.note && <div className="pairing-elder-note">注意：{r.note}</div>}
          {r.phone && !r.phone.includes('*') && (
            <a href={`tel:${r.phone}`} className="pairing-call">
              <PhoneFilled /> 给老人打电话 {r.phone}
            </a>
          )}
        </section>
      ))}
    </>
  );
}

function Done({ t }: { t: PairingTaskDto }) {
  const log = t.log!;
  if (t.state === 'missed')
    return (
      <section className="h5-card">
        <div className="h5-card-title">未能探访</div>
        <p className="pairing-big-text">原因：{log.missedReason}</p>
        <div className="pairing-sub">
          {log.loggedByName} 登记于 {formatDateTime(log.loggedAt)}
        </div>
      </section>
    );
  return (
    <section className="h5-card" data-testid="pairing-done">
      <div className="pairing-done-head">
        <CheckCircleFilled /> 已登记探访
      </div>
      <p className="pairing-big-text">
        服务 {log.hours} 小时 · {formatDateTime(log.visitedAt ?? log.loggedAt)}
      </p>
      {log.note && <p className="pairing-big-text">{log.note}</p>}
      {log.photoIds.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap>
            {log.photoIds.map((id) => (
              <Image key={id} src={photoUrl(id)} width={84} height={84} style={{ objectFit: 'cover', borderRadius: 8 }} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      <div className="pairing-records">
        {t.records.map((r) => (
          <div key={r.id}>
            {r.volunteerName}：{r.hours} 小时{' '}
            <Tag color={r.status === 'verified' ? 'green' : r.status === 'pending' ? 'gold' : 'default'}>{RECORD_STATUS[r.status]}</Tag>
          </div>
        ))}
      </div>
      <div className="pairing-sub">服务时长经阵地审核后计入“我的志愿”。</div>
    </section>
  );
}

function LogForm({ t, me }: { t: PairingTaskDto; me: MeDto }) {
  const { message } = App.useApp();
  const logVisit = useLogVisit(t.id);
  const miss = useMissVisit(t.id);
  const mine = t.volunteers.find((v) => v.id === me.volunteerId);
  const [hours, setHours] = useState<number>(t.visitHours);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [served, setServed] = useState<string[]>(mine ? [mine.id] : []);
  const [loc, setLoc] = useState<{ lat: number; lng: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [missOpen, setMissOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const canLog = t.allowedActions.includes('log');

  const locate = () => {
    if (!navigator.geolocation) return message.warning('此设备不支持定位');
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLoc({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 });
        setLocating(false);
      },
      () => {
        setLocating(false);
        message.warning('没有取得位置，可以不定位直接登记');
      },
      { timeout: 10_000 },
    );
  };

  const submit = async () => {
    setError(null);
    if (!served.length) return setError('请勾选参加这次探访的志愿者');
    try {
      await logVisit.mutateAsync({ hours, note: note.trim() || undefined, photoIds: photos.length ? photos : undefined, volunteerIds: served, ...(loc ?? {}) });
      message.success('已登记，谢谢您的陪伴！');
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submitMiss = async () => {
    if (!reason.trim()) return message.warning('请选择或填写原因');
    try {
      await miss.mutateAsync(reason.trim());
      setMissOpen(false);
      message.success('已记录');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <section className="h5-card pairing-log-form" data-testid="pairing-log-form">
      <div className="h5-card-title">登记这次探访</div>
      {!canLog && <Alert type="info" showIcon title="还没到探访日期，最早可提前一天登记。" style={{ margin: '8px 0' }} />}
      {error && <Alert type="error" showIcon title={error} style={{ margin: '8px 0' }} data-testid="pairing-log-error" />}
      <div className="pairing-field-label">服务时长（小时）</div>
      <div className="pairing-hours">
        {HOURS.map((h) => (
          <button type="button" key={h} className={`pairing-hour${hours === h ? ' active' : ''}`} onClick={() => setHours(h)} aria-pressed={hours === h}>
            {h}
          </button>
        ))}
      </div>
      <div className="pairing-field-label">参加的志愿者</div>
      <Checkbox.Group
        className="pairing-served"
        value={served}
        onChange={(v) => setServed(v as string[])}
        options={t.volunteers.map((v) => ({ value: v.id, label: v.id === me.volunteerId ? `${v.name}（我）` : v.name }))}
      />
      <div className="pairing-field-label">做了什么（可不填）</div>
      <Input.TextArea
        rows={3}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="如：量血压、打扫卫生、陪老人聊天"
        className="pairing-note-input"
      />
      <div className="pairing-field-label">照片（可不传）</div>
      <PhotoUpload value={photos} onChange={setPhotos} max={6} />
      <div className="pairing-field-label">位置（可不定位）</div>
      <Button size="large" icon={<AimOutlined />} onClick={locate} loading={locating} block>
        {loc ? `已定位（${loc.lat.toFixed(4)}, ${loc.lng.toFixed(4)}）` : '记录当前位置'}
      </Button>
      <Button
        type="primary"
        size="large"
        block
        className="pairing-big-button"
        onClick={() => void submit()}
        loading={logVisit.isPending}
        disabled={!canLog}
        data-testid="pairing-log-submit"
      >
        登记探访
      </Button>
      <Button size="large" block className="pairing-big-button" onClick={() => setMissOpen(true)} data-testid="pairing-miss">
        这次没能去
      </Button>
      <Modal
        title="没能探访的原因"
        open={missOpen}
        onCancel={() => setMissOpen(false)}
        onOk={() => void submitMiss()}
        okText="确定"
        cancelText="返回"
        confirmLoading={miss.isPending}
        okButtonProps={{ size: 'large' }}
        cancelButtonProps={{ size: 'large' }}
      >
        <div className="pairing-reasons">
          {MISS_REASONS.map((r) => (
            <button type="button" key={r} className={`pairing-reason${reason === r ? ' active' : ''}`} onClick={() => setReason(r)}>
              {r}
            </button>
          ))}
        </div>
        <Input.TextArea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="或者自己写" />
      </Modal>
    </section>
  );
}

/** 探访任务: whom to visit, when, where; the log form (large buttons) or what was logged. */
export function H5PairingTaskPage({ me }: { me: MeDto }) {
  const { id } = useParams();
  const q = usePairingTask(id);
  useDocumentTitle(q.data?.label ?? '探访任务');
  if (q.isPending)
    return (
      <div className="h5-page">
        <section className="h5-card">
          <Skeleton active />
        </section>
      </div>
    );
  if (q.isError)
    return (
      <div className="h5-page">
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const t = q.data;
  return (
    <div className="h5-page pairing-h5">
      <section className={`h5-card pairing-task-top${t.overdue ? ' overdue' : ''}`}>
        <div className="pairing-task-head">
          <TaskKindTag kind={t.kind} />
          <TaskStateTag task={t} />
        </div>
        <div className="pairing-task-title">{t.label}</div>
        <div className="pairing-task-line">
          <ClockCircleOutlined /> {formatDue(t.dueAt)}
        </div>
        {t.overdue && (
          <div className="pairing-overdue-text pairing-task-line">
            <WarningFilled /> 已过探访日期，去过了请尽快登记
          </div>
        )}
        <div className="pairing-sub">
          {t.planName} · {t.orgName}
        </div>
        <div className="pairing-sub">结对志愿者：{t.volunteers.map((v) => v.name).join('、')}</div>
      </section>
      <Residents t={t} />
      {t.state === 'open' ? (
        <LogForm t={t} me={me} />
      ) : t.state === 'cancelled' ? (
        <section className="h5-card">
          <Empty description="这次探访已取消（结对暂停或规则调整）" />
        </section>
      ) : (
        <Done t={t} />
      )}
      <Link to="/h5/pairing" className="pairing-back-link">
        返回结对帮扶任务
      </Link>
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { App, Button, Empty, Input, Segmented, Tag } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, EnvironmentOutlined, SafetyCertificateOutlined, TrophyFilled } from '@ant-design/icons';
import { useVolunteerHonours } from '../../honours';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { MeDto, TrainingSessionDto } from '@wenming/contracts';
import { H5PagedList } from '../../../components/h5-paged-list';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useSessionAction, useSessions, useVolunteerTraining } from '../api/training-api';
import './training.css';

function SessionCard({ s }: { s: TrainingSessionDto }) {
  const act = useSessionAction();
  const { message } = App.useApp();
  const [code, setCode] = useState('');
  const signUp = () =>
    act.mutateAsync({ id: s.id, action: 'signups' }).then(
      () => message.success('报名成功'),
      (e: unknown) => message.error(errorMessage(e)),
    );
  const checkIn = () =>
    act.mutateAsync({ id: s.id, action: 'checkin', body: { code } }).then(
      () => message.success('签到成功'),
      (e: unknown) => message.error(errorMessage(e)),
    );
  return (
    <div className="h5-card training-card" data-testid="training-session-card">
      <div className="training-card-head">
        <span className="training-card-title">{s.course.title}</span>
        <Tag color="blue">{s.course.hours} 学时</Tag>
      </div>
      <div className="training-line">
        <ClockCircleOutlined /> {formatDateTime(s.startsAt)}
      </div>
      <div className="training-line">
        <EnvironmentOutlined /> {s.orgName} · {s.address}
      </div>
      {s.course.lecturers.length > 0 && <div className="training-line">讲师：{s.course.lecturers.join('、')}</div>}
      {s.course.qualification && (
        <div className="training-line">
          <SafetyCertificateOutlined /> 结业可获得：{s.course.qualification}
        </div>
      )}
      <div className="training-foot">
        <span>
          已报名 {s.registered}/{s.capacity}
        </span>
        {s.mySignup ? (
          s.mySignup.checkinAt ? (
            <Tag color="green" icon={<CheckCircleFilled />}>
              已签到
            </Tag>
          ) : (
            <Tag color="blue">已报名</Tag>
          )
        ) : s.allowedActions.includes('signup') ? (
          <Button type="primary" size="small" loading={act.isPending} onClick={() => void signUp()} data-testid="training-signup">
            报名
          </Button>
        ) : (
          <Tag>{s.state === 'open' ? '名额已满' : s.state === 'finished' ? '已结业' : '已取消'}</Tag>
        )}
      </div>
      {s.allowedActions.includes('checkin') && (
        <div className="training-checkin">
          <Input placeholder="输入或扫描现场签到码" value={code} onChange={(e) => setCode(e.target.value)} />
          <Button type="primary" disabled={!code.trim()} onClick={() => void checkIn()}>
            签到
          </Button>
        </div>
      )}
    </div>
  );
}

function MyHonours({ volunteerId }: { volunteerId: string }) {
  const h = useVolunteerHonours(volunteerId);
  const items = h.data?.items ?? [];
  return (
    <>
      <div className="training-section">我的表彰</div>
      {items.length ? (
        items.map((x) => (
          <div className="h5-card training-row" key={x.roundId} data-testid="my-honour">
            <span>
              <TrophyFilled style={{ color: '#d4a017' }} /> {x.roundTitle}
            </span>
            <span>
              {x.award} · {x.awardedOn}
            </span>
          </div>
        ))
      ) : (
        <div className="training-none">暂无表彰</div>
      )}
    </>
  );
}

function MyTraining({ me }: { me: MeDto }) {
  const t = useVolunteerTraining(me.volunteerId);
  if (!me.volunteerId)
    return (
      <Empty description="完成志愿者报到后可以参加培训">
        <Link to="/h5/volunteer/register">去报到</Link>
      </Empty>
    );
  const d = t.data;
  return (
    <>
      <div className="h5-card training-summary" data-testid="training-summary">
        <div>
          <div className="training-big">{d?.totalHours ?? 0}</div>
          <div className="training-sub">培训学时（不计入服务时长）</div>
        </div>
        <div>
          <div className="training-big">{d?.qualifications.filter((q) => q.valid).length ?? 0}</div>
          <div className="training-sub">有效资质</div>
        </div>
      </div>
      <div className="training-section">我的资质</div>
      {d?.qualifications.length ? (
        d.qualifications.map((q) => (
          <div className="h5-card training-row" key={q.id}>
            <span>
              <SafetyCertificateOutlined /> {q.name}
            </span>
            <span>
              {q.validUntil ? `有效期至 ${q.validUntil}` : '长期有效'} {q.valid ? <Tag color="green">有效</Tag> : <Tag>已失效</Tag>}
            </span>
          </div>
        ))
      ) : (
        <div className="training-none">暂无资质</div>
      )}
      <MyHonours volunteerId={me.volunteerId} />
      <div className="training-section">培训记录</div>
      {d?.records.length ? (
        d.records.map((r) => (
          <div className="h5-card training-row" key={r.id}>
            <span>
              {r.title}
              <span className="training-sub"> · {r.orgName}</span>
            </span>
            <span>
              {r.trainedOn} · {r.hours} 学时
            </span>
          </div>
        ))
      ) : (
        <div className="training-none">暂无培训记录</div>
      )}
    </>
  );
}

function SessionList({ view }: { view: 'open' | 'mine' }) {
  const q = useSessions(view);
  return <H5PagedList query={q} empty={view === 'open' ? '近期没有可报名的培训' : '还没有报名培训'} renderItem={(s) => <SessionCard s={s} />} />;
}

/** 我的培训: training hours and qualifications, sessions to sign up for, those signed up for (with check-in). */
export function H5TrainingPage({ me }: { me: MeDto }) {
  useDocumentTitle('志愿培训');
  const [view, setView] = useState<'mine' | 'open' | 'signed'>('open');
  return (
    <div className="h5-page training-page">
      <Segmented
        block
        value={view}
        onChange={(v) => setView(v as typeof view)}
        options={[
          { value: 'open', label: '可报名' },
          { value: 'signed', label: '我报名的' },
          { value: 'mine', label: '我的记录' },
        ]}
      />
      <div style={{ marginTop: 12 }}>{view === 'mine' ? <MyTraining me={me} /> : <SessionList view={view === 'open' ? 'open' : 'mine'} />}</div>
    </div>
  );
}

/** /h5/training/checkin/:id?code=… — where the room's QR code lands: checks in once. */
export function H5TrainingCheckinPage() {
  useDocumentTitle('培训签到');
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const act = useSessionAction();
  const sent = useRef(false);
  const code = params.get('code') ?? '';
  useEffect(() => {
    if (sent.current || !code) return;
    sent.current = true;
    act.mutate({ id, action: 'checkin', body: { code } });
  }, [act, code, id]);
  return (
    <div className="h5-page training-page" data-testid="training-checkin">
      {act.isSuccess ? (
        <Empty image={<CheckCircleFilled style={{ fontSize: 56, color: '#52c41a' }} />} description="签到成功，培训结业后记入培训学时" />
      ) : act.isError ? (
        <Empty description={errorMessage(act.error)} />
      ) : (
        <Empty description={code ? '正在签到…' : '请扫描培训现场的签到二维码'} />
      )}
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        <Link to="/h5/training">返回我的培训</Link>
      </div>
    </div>
  );
}

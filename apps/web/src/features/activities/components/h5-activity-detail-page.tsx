import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Input, Progress, Rate, Skeleton, Tag } from 'antd';
import { CalendarOutlined, ClockCircleOutlined, EnvironmentOutlined, ShareAltOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { LoadFailure } from '../../../components/load-failure';
import { errorMessage, isApiError } from '../../../lib/api-client';
import { useCategoryName } from '../../../lib/categories';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivity, useActivitySeries, useRateActivity, useSignup, useWithdraw, type ActivityDto, type SignupRole } from '../api/activities-api';
import { chinaDate, chinaTime, eligibilityOf, formatDay, formatMoment, formatTimeRange, placesLeft, ROLE_NAMES, weeklyLabel } from './activity-format';
import { ActivityPhotos } from './activity-photos';
import { ActivityStateTag, MySignupTag } from './activity-tags';
import { ScanSheet } from './scan-sheet';
import { ShareSheet } from './share-sheet';
import './activities.css';

function Row({ icon, label, children }: { icon?: ReactNode; label: string; children: ReactNode }) {
  return (
    <div className="act-kv">
      <span className="act-kv-label">
        {icon}
        {label}
      </span>
      <span className="act-kv-value">{children}</span>
    </div>
  );
}

function Quota({ a, role }: { a: ActivityDto; role: SignupRole }) {
  const open = a.allowedActions.includes('signup');
  const quota = role === 'volunteer' ? a.volunteerQuota : a.publicQuota;
  const taken = role === 'volunteer' ? a.volunteerRegistered : a.publicRegistered;
  const left = placesLeft(a, role);
  return (
    <div className="act-quota" data-testid={`quota-${role}`}>
      <div className="act-quota-head">
        <span>{ROLE_NAMES[role]}名额</span>
        <span className={left ? 'act-quota-left' : 'act-quota-full'}>{left ? `剩 ${left} 个` : open ? '已满，可报名候补' : '已满'}</span>
      </div>
      <Progress percent={quota ? Math.min(100, (taken / quota) * 100) : 100} showInfo={false} strokeColor={left ? '#c8102e' : '#faad14'} size="small" />
      <div className="act-quota-foot">
        已报名 {taken} / {quota} 人
      </div>
    </div>
  );
}

/** What I can do about this activity: sign up (as what makes sense), withdraw, check in or out. */
function Actions({ a, me }: { a: ActivityDto; me: MeDto }) {
  const { message, modal } = App.useApp();
  const signup = useSignup(a.id);
  const withdraw = useWithdraw(a.id);
  const [error, setError] = useState<{ text: string; register: boolean } | null>(null);
  const [scan, setScan] = useState<'checkin' | 'checkout' | null>(null);
  const can = (x: ActivityDto['allowedActions'][number]) => a.allowedActions.includes(x);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // A visitor who has not signed in (a 公众号 menu link): 报名 asks them to sign in first, then brings them back.
  const visitor = me.id === '';
  const isVolunteer = !!me.volunteerId;
  const asVolunteer = can('signup') && a.volunteerQuota > 0 && isVolunteer;
  const asResident = can('signup') && a.publicQuota > 0;
  const volunteerOnlyButNotOne = can('signup') && a.volunteerQuota > 0 && !isVolunteer;

  const doSignup = async (role: SignupRole) => {
    setError(null);
    if (visitor) {
      navigate(`/login?redirect=${encodeURIComponent(pathname)}`);
      return;
    }
    try {
      const r = await signup.mutateAsync(role);
      if (r.status === 'registered') message.success(`报名成功（${ROLE_NAMES[role]}）`);
      else message.warning(`名额已满，您已进入候补第 ${r.position ?? '?'} 位，有人取消时按顺序递补`);
    } catch (e) {
      const text = errorMessage(e);
      setError({ text, register: isApiError(e) && /志愿者报到/.test(text) });
    }
  };
  const doWithdraw = () =>
    modal.confirm({
      title: '确定取消报名吗？',
      content: a.mySignup?.status === 'registered' ? '您的名额会让给候补的人，再报名可能需要排队。' : '取消后将不再保留您的候补位置。',
      okText: '取消报名',
      okButtonProps: { danger: true },
      cancelText: '再想想',
      onOk: async () => {
        try {
          await withdraw.mutateAsync();
          message.success('已取消报名');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  const buttons: ReactNode[] = [];
  if (asVolunteer)
    buttons.push(
      <Button
        key="v"
        type="primary"
        size="large"
        className="h5-big-button"
        loading={signup.isPending && signup.variables === 'volunteer'}
        onClick={() => void doSignup('volunteer')}
        data-testid="signup-volunteer"
      >
        {placesLeft(a, 'volunteer') ? '志愿者报名' : '志愿者候补'}
      </Button>,
    );
  if (asResident)
    buttons.push(
      <Button
        key="r"
        type={asVolunteer ? 'default' : 'primary'}
        size="large"
        className="h5-big-button"
        loading={signup.isPending && signup.variables === 'resident'}
        onClick={() => void doSignup('resident')}
        data-testid="signup-resident"
      >
        {placesLeft(a, 'resident') ? '群众报名' : '群众候补'}
      </Button>,
    );
  if (can('checkin'))
    buttons.push(
      <Button key="ci" type="primary" size="large" className="h5-big-button" onClick={() => setScan('checkin')} data-testid="checkin-button">
        扫码签到
      </Button>,
    );
  if (can('checkout'))
    buttons.push(
      <Button key="co" type="primary" size="large" className="h5-big-button" onClick={() => setScan('checkout')} data-testid="checkout-button">
        扫码签退
      </Button>,
    );
  if (can('withdraw'))
    buttons.push(
      <Button key="w" size="large" className="h5-big-button" danger onClick={doWithdraw} loading={withdraw.isPending} data-testid="withdraw-button">
        取消报名
      </Button>,
    );

  let note: ReactNode = null;
  if (a.state === 'cancelled') note = <Alert type="warning" showIcon title="活动已取消" />;
  else if (a.state === 'finished')
    note = (
      <Alert
        type="info"
        showIcon
        title="活动已结束"
        description={a.mySignup ? (a.mySignup.role === 'volunteer' ? '感谢参与！服务时长经审核后计入“我的志愿”。' : '感谢参与！') : undefined}
      />
    );
  else if (a.state === 'published' && !a.mySignup && !can('signup')) note = <Alert type="info" showIcon title="报名已截止" />;
  else if (volunteerOnlyButNotOne && !asResident)
    note = (
      <Alert
        type="info"
        showIcon
        title="本活动招募志愿者"
        description={
          <>
            完成志愿者报到后即可报名。<Link to="/h5/volunteer/register">去志愿者报到</Link>
          </>
        }
        data-testid="need-volunteer"
      />
    );
  else if (a.mySignup?.status === 'registered' && !a.mySignup.checkinAt && !can('checkin') && a.state === 'published')
    note = (
      <Alert
        type="info"
        showIcon
        title="到时请到现场扫码签到"
        description={`签到时间：活动开始前 30 分钟（${chinaTime(new Date(Date.parse(a.startsAt) - 30 * 60_000))}）起，至活动结束。`}
      />
    );

  // Organisers (staff, or the team's leader) reach the console and the check-in screen from here.
  const organiser = can('checkinCode') ? (
    <div className="act-organiser" data-testid="organiser-links">
      您是本活动的组织者：
      <a href={`/screen/checkin/${a.id}`} target="_blank" rel="noreferrer">
        打开签到大屏
      </a>
      {' · '}
      <Link to={`/admin/activities/${a.id}`}>管理报名与出勤</Link>
    </div>
  ) : null;

  if (!buttons.length && !note && !error && !organiser) return null;
  return (
    <section className="h5-card act-actions" data-testid="activity-actions">
      {note}
      {volunteerOnlyButNotOne && asResident && (
        <div className="act-actions-hint">
          志愿者岗位需先<Link to="/h5/volunteer/register">完成志愿者报到</Link>；也可以群众身份报名参加。
        </div>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.text}
          description={error.register ? <Link to="/h5/volunteer/register">去志愿者报到</Link> : undefined}
          data-testid="signup-error"
          closable={{ onClose: () => setError(null) }}
        />
      )}
      {buttons.length > 0 && <div className="act-buttons">{buttons}</div>}
      {organiser}
      {scan && <ScanSheet open kind={scan} onClose={() => setScan(null)} />}
    </section>
  );
}

const RATE_WORDS = ['很不满意', '不满意', '一般', '满意', '非常满意'];

/** 每周X，共N次 and the next dates of a weekly class (each a link to its own page). */
function WeeklyRow({ a }: { a: ActivityDto }) {
  const q = useActivitySeries(a.seriesId);
  // "Now" once per visit, so the list does not shift while the page is open.
  const [now] = useState(() => Date.now());
  if (!q.data?.length) return null;
  const next = q.data.filter((o) => o.id !== a.id && o.state !== 'cancelled' && Date.parse(o.startsAt) > now).slice(0, 4);
  return (
    <Row icon={<CalendarOutlined />} label="场次">
      <span data-testid="weekly-line">{weeklyLabel(q.data)}</span>
      {next.length > 0 && (
        <div className="act-next">
          <span className="act-next-label">{a.state === 'published' || a.state === 'draft' ? '之后几次' : '接下来'}：</span>
          {next.map((o) => (
            <Link key={o.id} to={`/h5/activities/${o.id}`} className="act-next-date" data-testid="weekly-next">
              {formatDay(o.startsAt)}
            </Link>
          ))}
        </div>
      )}
    </Row>
  );
}

/** 评价活动: five large stars and a few optional words, for participants who checked in; their rating after. */
function RatingCard({ a }: { a: ActivityDto }) {
  const { message } = App.useApp();
  const rate = useRateActivity(a.id);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const canRate = a.allowedActions.includes('rate');
  const mine = a.rating.mine;
  const send = async () => {
    if (!score) return setError('请点星星打分');
    setError(null);
    try {
      await rate.mutateAsync({ score, comment: comment.trim() || undefined });
      message.success('感谢您的评价！');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!canRate && !mine && !a.rating.count) return null;
  return (
    <section className="h5-card act-rating" data-testid="activity-rating">
      <div className="h5-card-head">
        <span className="h5-card-title">{canRate ? '为这次活动打个分' : '活动评价'}</span>
        {a.rating.count > 0 && (
          <span className="act-rating-avg" data-testid="rating-average">
            <b>{a.rating.average?.toFixed(1)}</b> 分 · {a.rating.count} 人评价
          </span>
        )}
      </div>
      {a.rating.count > 0 && !canRate && <Rate disabled allowHalf value={a.rating.average ?? 0} className="act-rate-readonly" />}
      {canRate && (
        <div data-testid="rate-form">
          <div className="act-rate-stars">
            <Rate
              value={score}
              onChange={(v) => {
                setScore(v);
                setError(null);
              }}
              className="act-rate-control"
              aria-label="评分，1到5颗星"
              data-testid="rate-stars"
            />
            <div className={`act-rate-word${error ? ' error' : ''}`}>{error ?? (score ? RATE_WORDS[score - 1] : '点星星打分，5 颗星最满意')}</div>
          </div>
          <Input.TextArea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder="说说您的感受（可不填）"
            className="act-rate-comment"
            data-testid="rate-comment"
          />
          <Button
            type="primary"
            size="large"
            block
            className="h5-big-button act-rate-submit"
            onClick={() => void send()}
            loading={rate.isPending}
            data-testid="rate-submit"
          >
            提交评价
          </Button>
        </div>
      )}
      {mine && (
        <div className="act-rating-mine" data-testid="my-rating">
          <div className="act-rating-mine-head">
            我的评价
            <Rate disabled value={mine.score} className="act-rate-mine" />
            <span className="act-rate-mine-word">{RATE_WORDS[mine.score - 1]}</span>
          </div>
          {mine.comment && <p className="act-text">{mine.comment}</p>}
        </div>
      )}
    </section>
  );
}

/** 活动报道: the organiser's summary and pictures after the activity. */
function ReportSection({ a }: { a: ActivityDto }) {
  if (!a.report) return null;
  return (
    <section className="h5-card act-report" data-testid="activity-report">
      <div className="h5-card-head">
        <span className="h5-card-title">活动报道</span>
        <span className="act-report-date">{chinaDate(a.report.publishedAt)}</span>
      </div>
      <p className="act-text">{a.report.summary}</p>
      {a.report.photoIds.length > 0 && (
        <div className="act-report-gallery">
          <ActivityPhotos ids={a.report.photoIds} alt={`${a.title} 现场照片`} variant="grid" testId="report-photos" />
        </div>
      )}
    </section>
  );
}

/** 活动详情 (H5): what, when, where, places, my sign-up, and what I can do. Also the share link. */
export function H5ActivityDetailPage({ me }: { me: MeDto }) {
  const { id } = useParams();
  const q = useActivity(id);
  const categoryName = useCategoryName();
  const [sharing, setSharing] = useState(false);
  useDocumentTitle(q.data?.title ?? '活动详情');
  if (q.isPending)
    return (
      <div className="h5-page">
        <section className="h5-card" style={{ marginTop: 12 }}>
          <Skeleton active />
        </section>
      </div>
    );
  if (q.isError)
    return (
      <LoadFailure
        h5
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个活动"
        subTitle="活动不存在，或尚未发布。"
        back={{ to: '/h5/activities', label: '看看其他活动' }}
      />
    );

  const a = q.data;
  const rules = eligibilityOf(a, categoryName);
  const mine = a.mySignup;
  return (
    <div className="h5-page act-detail">
      <section className="act-hero">
        <div className="act-hero-tags">
          <Tag color="gold" style={{ marginInlineEnd: 0 }}>
            {categoryName(a.category)}
          </Tag>
          <ActivityStateTag activity={a} />
        </div>
        <h1 className="act-hero-title" data-testid="activity-title">
          {a.title}
        </h1>
        <div className="act-hero-org">{a.orgName}</div>
        {a.state === 'published' && (
          <Button className="act-hero-share" icon={<ShareAltOutlined />} onClick={() => setSharing(true)} data-testid="share-button">
            分享
          </Button>
        )}
      </section>

      {a.photoIds.length > 0 && (
        <section className="h5-card act-gallery">
          <ActivityPhotos ids={a.photoIds} alt={a.title} variant="grid" testId="activity-photos" />
        </section>
      )}

      {mine && (
        <section className="h5-card act-mine" data-testid="my-signup">
          <div className="h5-card-head">
            <span className="h5-card-title">我的报名</span>
            <MySignupTag signup={mine} />
          </div>
          <div className="act-mine-text">
            以<b>{ROLE_NAMES[mine.role]}</b>身份报名
            {mine.status === 'waitlisted' ? (
              <>
                ，目前<b className="act-mine-wait">候补第 {mine.position ?? '?'} 位</b>。前面有人取消时按顺序递补，递补成功会通知您。
              </>
            ) : (
              '成功。'
            )}
          </div>
          {(mine.checkinAt || mine.checkoutAt) && (
            <div className="act-kvs">
              {mine.checkinAt && <Row label="签到时间">{formatMoment(mine.checkinAt)}</Row>}
              {mine.checkoutAt && <Row label="签退时间">{formatMoment(mine.checkoutAt)}</Row>}
            </div>
          )}
        </section>
      )}

      <Actions a={a} me={me} />

      {a.allowedActions.includes('rate') && <RatingCard a={a} />}
      <ReportSection a={a} />
      {a.state === 'finished' && !a.allowedActions.includes('rate') && <RatingCard a={a} />}

      <section className="h5-card">
        <Row icon={<ClockCircleOutlined />} label="时间">
          <span data-testid="activity-time">{formatTimeRange(a.startsAt, a.endsAt)}</span>
        </Row>
        <Row icon={<EnvironmentOutlined />} label="地点">
          {a.address || a.orgName}
          {a.address && <div className="act-kv-sub">{a.orgName}</div>}
        </Row>
        {a.seriesId && <WeeklyRow a={a} />}
        <Row label="报名截止">{formatMoment(a.signupDeadline)}</Row>
        {rules.length > 0 && (
          <Row label="报名条件">
            {rules.map((r) => (
              <div key={r}>{r}</div>
            ))}
          </Row>
        )}
        {a.geofenceM && <Row label="签到方式">现场扫码，需在活动地点 {a.geofenceM} 米内</Row>}
      </section>

      {a.state === 'published' && (a.volunteerQuota > 0 || a.publicQuota > 0) && (
        <section className="h5-card act-quotas">
          {a.volunteerQuota > 0 && <Quota a={a} role="volunteer" />}
          {a.publicQuota > 0 && <Quota a={a} role="resident" />}
        </section>
      )}

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">活动介绍</span>
        </div>
        <p className="act-text">{a.description || '组织方暂未填写活动介绍。'}</p>
      </section>

      {a.summary && !a.report && (
        <section className="h5-card">
          <div className="h5-card-head">
            <span className="h5-card-title">活动总结</span>
          </div>
          <p className="act-text">{a.summary}</p>
        </section>
      )}

      <ShareSheet activity={a} open={sharing} onClose={() => setSharing(false)} />
    </div>
  );
}

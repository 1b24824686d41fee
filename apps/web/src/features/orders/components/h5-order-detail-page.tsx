import type { ReactNode } from 'react';
import { Alert, Skeleton } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useParams, useSearchParams } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { LoadFailure } from '../../../components/load-failure';
import { useCategoryName } from '../../../lib/categories';
import { formatDateTime, formatHours } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrder } from '../api/orders-api';
import { whoServes } from './order-format';
import { H5OrderActions } from './h5-order-actions';
import { H5RateForm, RatingStars } from './h5-rate-form';
import { OrderStateTag, UrgencyTag } from './order-tags';
import { OrderTimeline } from './order-timeline';
import { SlaCountdown } from './sla-countdown';
import { OrderPhotos } from './order-photos';
import './orders.css';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="h5-kv">
      <span className="h5-kv-label">{label}</span>
      <span className="h5-kv-value">{children}</span>
    </div>
  );
}

/** 工单详情 (resident, volunteer, department officer): the code to read out, progress, actions. */
export function H5OrderDetailPage({ me }: { me: MeDto }) {
  const { id } = useParams();
  const [params] = useSearchParams();
  const q = useOrder(id);
  const categoryName = useCategoryName();
  useDocumentTitle(q.data ? `工单 ${q.data.code}` : '工单详情');
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
      <LoadFailure
        h5
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个工单"
        subTitle="工单不存在，或您无权查看。"
        back={{ to: '/h5/orders', label: '返回我的工单' }}
      />
    );
  const o = q.data;
  const mine = o.requesterId === me.id;
  const serving = whoServes(o);
  const waiting = o.state === 'submitted' || o.state === 'dispatched';

  return (
    <div className="h5-page h5-order-detail">
      {params.get('new') === '1' && o.state === 'submitted' && (
        <Alert type="success" showIcon title="提交成功" description="请记下工单号，打电话询问时报出即可。" className="h5-order-created" />
      )}
      <section className="h5-card h5-order-head">
        <div className="h5-order-code-label">工单号</div>
        <div className="h5-order-code" data-testid="order-code">
          {o.code}
        </div>
        <div className="h5-order-head-tags">
          <OrderStateTag state={o.state} large />
          {o.urgency !== 'normal' && <UrgencyTag urgency={o.urgency} />}
        </div>
        {waiting && !mine && <SlaCountdown dueAt={o.acceptDueAt} />}
      </section>

      {mine && o.allowedActions.includes('rate') && <H5RateForm order={o} />}

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">{o.title ?? '需求内容'}</span>
        </div>
        <p className="h5-order-content" data-testid="order-content-text">
          {o.content}
        </p>
        <OrderPhotos order={o} />
        <div className="h5-kvs">
          <Row label="服务类别">{categoryName(o.category)}</Row>
          <Row label="所在社区">{o.orgName}</Row>
          {o.address && <Row label="服务地址">{o.address}</Row>}
          {o.preferredAt && <Row label="希望时间">{formatDateTime(o.preferredAt)}</Row>}
          {!mine && o.requesterName && (
            <Row label="联系人">
              {o.requesterName}
              {o.requesterPhone && !o.requesterPhone.includes('*') ? (
                <a href={`tel:${o.requesterPhone}`} className="h5-tel">
                  <PhoneOutlined /> {o.requesterPhone}
                </a>
              ) : (
                o.requesterPhone && ` ${o.requesterPhone}`
              )}
            </Row>
          )}
          <Row label="提交时间">{formatDateTime(o.createdAt)}</Row>
          {serving && <Row label={o.assignee.departmentName ? '办理部门' : '服务人员'}>{serving}</Row>}
          {o.hours !== null && <Row label="服务时长">{formatHours(o.hours)}</Row>}
        </div>
        {o.report && (
          <div className="h5-order-note">
            <b>服务情况：</b>
            {o.report}
          </div>
        )}
        {o.reply && (
          <div className="h5-order-note">
            <b>办理答复：</b>
            {o.reply}
          </div>
        )}
        {o.rejectReason && (
          <div className="h5-order-note error">
            <b>退回原因：</b>
            {o.rejectReason}
          </div>
        )}
        {o.rating && (
          <div className="h5-order-note">
            <b>我的评价：</b>
            <RatingStars score={o.rating.score} />
            {o.rating.comment && <div>{o.rating.comment}</div>}
          </div>
        )}
      </section>

      <H5OrderActions order={o} />

      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">办理进度</span>
        </div>
        <OrderTimeline order={o} />
      </section>
    </div>
  );
}

import { Empty, Skeleton } from 'antd';
import { GiftOutlined, ShoppingOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useMyPoints } from '../api/points-api';
import { reasonName } from './points-format';
import './points.css';

/** 我的积分: the balance and every ledger row, in words a resident reads. */
export function H5PointsPage() {
  useDocumentTitle('我的积分');
  const q = useMyPoints();
  return (
    <div className="h5-page">
      <section className="points-hero" data-testid="points-hero">
        <div className="points-hero-label">当前积分</div>
        <div className="points-hero-balance" data-testid="points-balance">
          {q.data ? q.data.balance : '—'}
        </div>
        {q.data && (
          <div className="points-hero-sub">
            <span>累计获得 {q.data.earned}</span>
            <span>累计使用 {q.data.spent}</span>
          </div>
        )}
      </section>
      <nav className="points-links">
        <Link to="/h5/mall" data-testid="points-to-mall">
          <ShoppingOutlined />
          <span>
            <b>积分商城</b>
            <small>以分换物</small>
          </span>
        </Link>
        <Link to="/h5/redemptions" data-testid="points-to-redemptions">
          <GiftOutlined />
          <span>
            <b>我的兑换</b>
            <small>取货码、领取状态</small>
          </span>
        </Link>
      </nav>
      <section className="h5-card">
        <div className="h5-card-head">
          <span className="h5-card-title">积分明细</span>
        </div>
        {q.isPending ? (
          <Skeleton active />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有积分记录。参加志愿服务、活动，经审核后即可获得积分。" />
        ) : (
          <ul className="points-ledger" data-testid="points-ledger">
            {q.data.items.map((i, n) => (
              <li key={`${i.at}-${n}`}>
                <div className="points-ledger-main">
                  <span className="points-ledger-reason">{reasonName(i.reason)}</span>
                  <span className="points-ledger-meta">
                    {formatDateTime(i.at)}
                    {i.note ? ` · ${i.note}` : ''}
                  </span>
                </div>
                <span className={`points-delta ${i.delta > 0 ? 'plus' : 'minus'}`}>{i.delta > 0 ? `+${i.delta}` : i.delta}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

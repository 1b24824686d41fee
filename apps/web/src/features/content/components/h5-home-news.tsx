import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { H5ContentList } from './h5-content-list';

/** 首页 · 资讯: the three newest items of my community's chain. */
export function H5HomeNews({ orgId }: { orgId?: string }) {
  return (
    <section className="h5-card" style={{ padding: 0, overflow: 'hidden' }} data-testid="home-news">
      <div className="h5-card-head" style={{ padding: '14px 16px 0' }}>
        <span className="h5-card-title">文明资讯</span>
        <Link to="/h5/news" style={{ fontSize: 15 }}>
          更多 <RightOutlined />
        </Link>
      </div>
      <H5ContentList filter={{ orgId }} limit={3} more={false} showKind empty="暂无资讯" />
    </section>
  );
}

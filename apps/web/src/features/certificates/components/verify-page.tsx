import { Button, Skeleton } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { useParams } from 'react-router-dom';
import { BrandMark, PRODUCT_NAME } from '../../../components/brand';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useVerification } from '../api/certificates-api';
import { cnDate, hoursText, starsText } from './format';
import './verify.css';

function Row({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="vfy-row">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </div>
  );
}

/** /verify/:serial — public (no sign-in): is this certificate real, and what does the platform hold? */
export function VerifyPage() {
  const { serial = '' } = useParams();
  const q = useVerification(serial);
  useDocumentTitle('证明核验');
  const shown = serial.trim().toUpperCase();

  let body: React.ReactNode;
  if (q.isPending) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (q.isError)
    body = (
      <div className="vfy-status unknown" role="alert">
        <QuestionCircleFilled />
        <div>
          <strong>暂时无法核验</strong>
          <span>{errorMessage(q.error)}</span>
        </div>
        <Button onClick={() => void q.refetch()}>重试</Button>
      </div>
    );
  else if (!q.data)
    body = (
      <>
        <div className="vfy-status invalid" role="status" data-testid="verify-status">
          <CloseCircleFilled />
          <div>
            <strong>未查到该证明</strong>
            <span>平台没有编号为 {shown} 的志愿服务记录证明。请核对编号，谨防伪造。</span>
          </div>
        </div>
      </>
    );
  else if (!q.data.valid)
    body = (
      <>
        <div className="vfy-status invalid" role="status" data-testid="verify-status">
          <CloseCircleFilled />
          <div>
            <strong>该证明已作废</strong>
            <span>此证明已由出具单位作废，不能作为志愿服务的证明。</span>
          </div>
        </div>
        <dl className="vfy-list">
          <Row label="证明编号" mono>
            {q.data.serial}
          </Row>
          <Row label="出具日期">{cnDate(q.data.issuedAt)}</Row>
          <Row label="作废日期">{cnDate(q.data.revokedAt)}</Row>
        </dl>
      </>
    );
  else {
    const v = q.data;
    body = (
      <>
        <div className="vfy-status valid" role="status" data-testid="verify-status">
          <CheckCircleFilled />
          <div>
            <strong>证明真实有效</strong>
            <span>以下信息与平台出具时的记录一致。</span>
          </div>
        </div>
        <dl className="vfy-list">
          <Row label="持有人">{v.holder}</Row>
          <Row label="累计服务时长">
            <b className="vfy-hours">{hoursText(v.totalHours)}</b> 小时
          </Row>
          <Row label="志愿者星级">{v.star > 0 ? <span className="vfy-stars">{starsText(v.star)}</span> : '暂未达到星级'}</Row>
          <Row label="出具单位">
            {v.site}
            {v.center && v.center !== v.site && <div className="vfy-sub">{v.center}</div>}
          </Row>
          <Row label="出具日期">{cnDate(v.issuedAt)}</Row>
          <Row label="证明编号" mono>
            {v.serial}
          </Row>
          <Row label="内容校验码" mono>
            <span className="vfy-hash">{v.contentHash}</span>
          </Row>
        </dl>
        <p className="vfy-hint">请与纸质证明逐项核对：编号、时长、出具单位和校验码须完全一致。为保护个人信息，姓名已部分隐去。</p>
      </>
    );
  }

  return (
    <div className="vfy-page">
      <header className="vfy-head">
        <BrandMark size={28} />
        <span>{PRODUCT_NAME} · 志愿服务证明核验</span>
      </header>
      <main className="vfy-card">{body}</main>
      <footer className="vfy-foot">核验结果以{PRODUCT_NAME}平台记录为准</footer>
    </div>
  );
}

import { Button, Result } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { PageLoading } from '../../../components/page-loading';
import { QueryError } from '../../../components/query-error';
import { isApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCertificate, verifyUrlOf, type CertificateDto } from '../api/certificates-api';
import { cnDate, hoursText, starsText } from './format';
import { QrCode } from '../../../components/qr-code';
import { usePublicOrigin } from '../../../lib/public-origin';
import './certificate.css';

/** 群众点单服务 2 条 3 小时；… — a breakdown as one line of text, so the page stays one A4 sheet. */
function Breakdown({ items }: { items: { name: string; records: number; hours: number }[] }) {
  return (
    <span className="cert-breakdown">
      {items.map((g, i) => (
        <span key={i}>
          {g.name} <b>{g.records}</b> 条 <b>{hoursText(g.hours)}</b> 小时{i < items.length - 1 ? '；' : ''}
        </span>
      ))}
    </span>
  );
}

/** The printed document itself: A4, the five parts as tables, the issuer, the QR code to verify it. */
export function CertificateSheet({ cert, origin }: { cert: CertificateDto; origin: string }) {
  const d = cert.data;
  const b = d.basic;
  const s = d.service;
  const verifyUrl = verifyUrlOf(cert.serial, origin);
  const center = d.issuer.center && d.issuer.center.id !== d.issuer.site.id ? d.issuer.center.name : null;
  return (
    <article className={`cert-sheet${cert.revokedAt ? ' revoked' : ''}`} data-testid="certificate-sheet">
      {cert.revokedAt && (
        <div className="cert-void" aria-label="已作废">
          已作废
        </div>
      )}
      <header className="cert-head">
        <div className="cert-head-serial">编号：{cert.serial}</div>
        <h1>志愿服务记录证明</h1>
      </header>

      <p className="cert-lead">
        兹证明 <span className="cert-fill">{b.name}</span>（身份证号：{b.idNumber}）为在“{d.issuer.platform}”平台注册的志愿者。截至
        {cnDate(d.issuedAt)}，经平台认定的志愿服务情况如下：
      </p>

      <section className="cert-section">
        <h2>一、基本信息</h2>
        <table className="cert-table cert-kv">
          <colgroup>
            <col className="k" />
            <col />
            <col className="k" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <th>姓名</th>
              <td>{b.name}</td>
              <th>性别</th>
              <td>{b.genderName}</td>
            </tr>
            <tr>
              <th>身份证号</th>
              <td className="mono">{b.idNumber}</td>
              <th>政治面貌</th>
              <td>{b.politicalStatusName}</td>
            </tr>
            <tr>
              <th>注册阵地</th>
              <td>{b.site.name}</td>
              <th>注册日期</th>
              <td>{cnDate(b.registeredAt)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="cert-section">
        <h2>二、志愿服务记录</h2>
        <table className="cert-table cert-kv">
          <colgroup>
            <col className="k" />
            <col />
            <col className="k" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <th>累计服务时长</th>
              <td>
                <b className="cert-big">{hoursText(s.totalHours)}</b> 小时
              </td>
              <th>服务记录</th>
              <td>
                <b className="cert-big">{s.recordCount}</b> 条
              </td>
            </tr>
            <tr>
              <th>服务时间段</th>
              <td colSpan={3}>{s.period ? `${cnDate(s.period.from)} 至 ${cnDate(s.period.to)}` : '暂无已认定的服务记录'}</td>
            </tr>
            {s.recordCount > 0 && (
              <>
                <tr>
                  <th>按服务来源</th>
                  <td colSpan={3}>
                    <Breakdown items={s.bySource} />
                  </td>
                </tr>
                <tr>
                  <th>按服务类别</th>
                  <td colSpan={3}>
                    <Breakdown items={s.byCategory} />
                  </td>
                </tr>
              </>
            )}
          </tbody>
        </table>
        {s.recent.length > 0 && (
          <table className="cert-table cert-grid">
            <caption>服务明细{s.recordCount > s.recent.length ? `（共 ${s.recordCount} 条，列出最近 ${s.recent.length} 条）` : ''}</caption>
            <colgroup>
              <col style={{ width: '7%' }} />
              <col style={{ width: '14%' }} />
              <col />
              <col style={{ width: '33%' }} />
              <col style={{ width: '8%' }} />
            </colgroup>
            <thead>
              <tr>
                <th>序号</th>
                <th>服务日期</th>
                <th>服务内容</th>
                <th>服务阵地</th>
                <th>小时</th>
              </tr>
            </thead>
            <tbody>
              {s.recent.map((r, i) => (
                <tr key={i}>
                  <td className="num c">{i + 1}</td>
                  <td className="c">{r.date ?? '—'}</td>
                  <td>
                    {r.title}
                    {r.source === 'order' && r.category && <span className="cert-muted">（{r.category}）</span>}
                  </td>
                  <td>{r.site}</td>
                  <td className="num">{hoursText(r.hours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="cert-section">
        <h2>三、培训情况</h2>
        <table className="cert-table cert-kv">
          <colgroup>
            <col className="k" />
            <col />
          </colgroup>
          <tbody>
            {d.training.records.length ? (
              d.training.records.map((t, i) => (
                <tr key={i}>
                  <th>{cnDate(t.date)}</th>
                  <td>
                    {t.name}（{hoursText(t.hours)} 小时）
                  </td>
                </tr>
              ))
            ) : (
              <tr>
                <th>培训记录</th>
                <td>{d.training.note ?? '暂无记录'}</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <section className="cert-section">
        <h2>四、表彰奖励</h2>
        <table className="cert-table cert-kv">
          <colgroup>
            <col className="k" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <th>志愿者星级</th>
              <td>
                {d.honours.star > 0 ? (
                  <>
                    <span className="cert-stars">{starsText(d.honours.star)}</span> {d.honours.starName}
                  </>
                ) : (
                  (d.honours.note ?? '暂未达到星级')
                )}
                <span className="cert-small cert-basis">{d.honours.basis}</span>
              </td>
            </tr>
            {(d.honours.awards ?? []).map((h, i) => (
              <tr key={`award-${i}`} data-testid="cert-award">
                <th>{cnDate(h.date)}</th>
                <td>
                  获评「{h.round}」{h.award}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="cert-section">
        <h2>五、服务评价</h2>
        <table className="cert-table cert-kv">
          <colgroup>
            <col className="k" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <th>群众评价</th>
              <td>
                {d.evaluation.averageRating !== null
                  ? `服务群众点单 ${d.evaluation.ratedOrders} 单获评价，平均 ${d.evaluation.averageRating} 分（满分 5 分）`
                  : (d.evaluation.note ?? '暂无评价')}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <footer className="cert-foot">
        <div className="cert-foot-text">
          <p className="cert-note">{d.issuer.note}，扫描右侧二维码可核验真伪。</p>
          <p>
            出具单位（盖章）：{d.issuer.site.name}
            {center && <span className="cert-center">（{center}）</span>}
          </p>
          <p>
            出具日期：{cnDate(d.issuedAt)}
            <span className="cert-gap" />
            证明编号：<span className="mono">{cert.serial}</span>
          </p>
          <p>
            核验网址：<span className="mono cert-url">{verifyUrl}</span>
          </p>
          <p className="cert-hash">
            内容校验码（SHA-256）：<span className="mono">{cert.contentHash}</span>
          </p>
        </div>
        <figure className="cert-qr">
          <QrCode value={verifyUrl} size="22mm" label={`核验网址 ${verifyUrl}`} />
          <figcaption>扫码核验真伪</figcaption>
        </figure>
      </footer>
    </article>
  );
}

/** /certificate/:serial — the printable page: no app chrome, A4, a print button hidden in print. */
export function CertificatePage() {
  const { serial = '' } = useParams();
  const navigate = useNavigate();
  const q = useCertificate(serial);
  const origin = usePublicOrigin();
  useDocumentTitle(q.data ? `志愿服务记录证明 ${q.data.serial}` : '志愿服务记录证明');
  if (q.isPending) return <PageLoading />;
  if (q.isError) {
    const status = isApiError(q.error) ? q.error.status : 0;
    if (status === 404 || status === 403)
      return (
        <Result
          status={status === 404 ? '404' : '403'}
          title={status === 404 ? '证明不存在' : '无权查看该证明'}
          subTitle={status === 404 ? '请核对证明编号。' : '志愿服务证明仅限本人和所属阵地的工作人员查看；核验真伪请扫描证明上的二维码。'}
          extra={
            <Link to={`/verify/${encodeURIComponent(serial)}`}>
              <Button type="primary">去核验页面</Button>
            </Link>
          }
        />
      );
    return (
      <div style={{ maxWidth: 560, margin: '64px auto', padding: 16 }}>
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/h5/volunteer/certificate'));
  return (
    <div className="cert-screen">
      <div className="cert-toolbar" role="toolbar" aria-label="证明操作">
        <Button icon={<ArrowLeftOutlined />} onClick={back}>
          返回
        </Button>
        <span className="cert-toolbar-tip">
          {q.data.revokedAt ? `该证明已于${cnDate(q.data.revokedAt)}作废：${q.data.revokedReason ?? ''}` : '建议使用 A4 纸、纵向、100% 比例打印'}
        </span>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="certificate-print">
          打印 / 保存为PDF
        </Button>
      </div>
      {origin ? <CertificateSheet cert={q.data} origin={origin} /> : <PageLoading />}
    </div>
  );
}

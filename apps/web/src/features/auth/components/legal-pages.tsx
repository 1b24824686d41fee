import { Typography } from 'antd';
import { Link } from 'react-router-dom';
import { PRODUCT_NAME } from '../../../components/brand';
import { useDocumentTitle } from '../../../lib/use-document-title';
import './auth.css';

/** The plain frame of 用户协议 and 隐私政策: readable without signing in, large enough to read on a phone. */
function LegalFrame({ title, children }: { title: string; children: React.ReactNode }) {
  useDocumentTitle(title);
  return (
    <main className="legal-page">
      <Typography.Title level={2}>
        {PRODUCT_NAME}
        {title}
      </Typography.Title>
      {children}
      <p className="legal-back">
        <Link to="/login">返回登录</Link>
      </p>
    </main>
  );
}

/** 用户协议: what the platform is for and what a person who uses it agrees to. */
export function TermsPage() {
  return (
    <LegalFrame title="用户协议">
      <p>
        欢迎使用{PRODUCT_NAME}
        （新时代文明实践中心数字平台，以下简称“平台”）。平台由所在城市的新时代文明实践中心运营，为群众提供点单求助、活动报名、场馆预约、积分兑换等服务，为志愿者提供报到、接单、签到和服务时长记录。
      </p>
      <h3>一、账号</h3>
      <p>您可以用本人手机号和短信验证码登录；手机号首次登录即为您注册账号。请妥善保管手机和验证码，不要把验证码告诉任何人，工作人员不会向您索要验证码。</p>
      <h3>二、使用规范</h3>
      <p>
        请如实填写求助内容和个人信息，不得发布违法、虚假、侵害他人权益的信息，不得冒用他人身份或恶意占用场馆、名额。志愿服务时长和积分以实际服务并经审核为准。
      </p>
      <h3>三、服务的变更与中止</h3>
      <p>平台可能因维护、升级暂停部分功能，会尽量提前告知。违反本协议的账号，运营方可以限制或停用。</p>
      <h3>四、注销</h3>
      <p>您可以申请注销账号。注销后个人信息按《隐私政策》删除或匿名化处理，志愿服务记录、积分台账等依法需要保留的记录将以不可识别您的方式保留。</p>
      <h3>五、联系我们</h3>
      <p>对本协议有疑问，可以联系您所在的实践站（所）工作人员。</p>
    </LegalFrame>
  );
}

/** 隐私政策 (PIPL): what is collected, why, how it is kept, and the person's rights. */
export function PrivacyPage() {
  return (
    <LegalFrame title="隐私政策">
      <p>我们按照《中华人民共和国个人信息保护法》处理您的个人信息，只收集提供服务所必需的信息。</p>
      <h3>一、我们收集的信息</h3>
      <p>
        手机号（登录、接收验证码和服务通知）；姓名、所在社区（派单和联系）；志愿者报到时的身份证号（核实身份、出具服务证明）；您提交的求助内容、地址和照片（办理您的需求）。
      </p>
      <h3>二、如何使用和保存</h3>
      <p>
        身份证号加密保存，任何页面只显示部分号码；手机号对工作人员以外的人打码显示。短信验证码只以不可还原的形式保存，5分钟内有效、只能使用一次。工作人员查看和修改数据都会记录操作日志。
      </p>
      <h3>三、对外提供</h3>
      <p>
        除把您的求助转给负责办理的实践站、志愿队伍或职能部门，以及法律法规要求外，我们不向任何第三方提供您的个人信息。短信由平台委托的短信服务商发送，服务商只获得手机号和短信内容。
      </p>
      <h3>四、您的权利</h3>
      <p>您可以在“我的”中查看和更正个人资料、关闭非紧急的短信通知，也可以申请注销账号；注销后我们删除或匿名化您的个人信息。</p>
      <h3>五、未成年人</h3>
      <p>未满十四周岁的未成年人请在监护人同意和陪同下使用。</p>
    </LegalFrame>
  );
}

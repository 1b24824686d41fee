import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { newId } from '../lib/ids.ts';
import type { RequestCtx } from '../lib/policy.ts';
import { createModules } from '../modules/index.ts';

interface Item {
  region: string;
  kind: 'news' | 'policy' | 'lecture' | 'reading';
  column?: string;
  title: string;
  summary?: string;
  body: string;
  speaker?: string;
  /** Only media the platform itself serves (none is packaged yet: the demo lectures are read, not played). */
  media?: { url: string; type: 'video' | 'audio' };
  draft?: boolean;
}

const p = (...paras: string[]) => paras.map((t) => `<p>${t}</p>`).join('');

/** Columns: the city's 云讲堂《党史记忆》 and 晋源区's 掌上悦读《好书推荐》. */
const COLUMNS: { region: string; kind: Item['kind']; name: string; description: string }[] = [
  { region: '1401', kind: 'lecture', name: '党史记忆', description: '讲述党的百年奋斗史，重温并州大地的红色记忆' },
  { region: '1401', kind: 'lecture', name: '健康讲堂', description: '家庭医生讲常见病防治与养生' },
  { region: '140110', kind: 'reading', name: '好书推荐', description: '实践站农家书屋的推荐书目' },
];

const ITEMS: Item[] = [
  {
    region: '140110003002',
    kind: 'news',
    title: '新城社区实践站手把手教老人用智能手机',
    summary: '视频通话、网上挂号、防范电信诈骗，30多位老人上了“智能手机课”。',
    body: p(
      '“原来不会用智能手机，跟孩子沟通只能打电话，现在别说视频通话了，就连网上挂号都能行。”家住新城社区的孙大妈乐呵呵地说。',
      '本周，新城社区新时代文明实践站的志愿者连续三个下午开设“智能手机课”，一对一教老人使用微信视频通话、健康码、网上挂号，并结合真实案例讲解如何识别冒充客服、刷单返利等电信诈骗。',
      '实践站负责人介绍，课程将每周三下午固定开设，居民可在“文明实践云”上报名，也可直接到实践站一楼活动室参加。',
    ),
  },
  {
    region: '140110',
    kind: 'news',
    title: '“志愿晋源”招募令：30公里外的志愿者也来了',
    summary: '晋源区发布重阳节敬老志愿服务招募，两天内报名超过200人。',
    body: p(
      '晋源区新时代文明实践中心通过“志愿晋源”平台发布重阳节敬老志愿服务招募令，为辖区独居、空巢老人提供理发、义诊、打扫卫生等服务。',
      '招募信息发出两天，报名人数超过200人，其中有不少志愿者从30公里外的市区赶来。中心按照“群众点单、中心派单、志愿者接单、群众评单”的流程，把服务精准送到老人家中。',
    ),
  },
  {
    region: '140105',
    kind: 'news',
    title: '小店区开展“垃圾分类进万家”志愿服务',
    summary: '200余名志愿者走进56个小区，入户讲解分类知识。',
    body: p(
      '小店区新时代文明实践中心组织环保志愿服务队，走进辖区56个小区开展“垃圾分类进万家”活动。',
      '志愿者们在小区门口设置宣传点，用有奖问答、分类游戏等方式讲解厨余垃圾、可回收物、有害垃圾和其他垃圾的区别，并入户为居民发放分类指南。参与活动的居民可获得文明实践积分，在社区“爱心超市”兑换生活用品。',
    ),
  },
  {
    region: '140110',
    kind: 'policy',
    title: '高龄补贴怎么申领？一图读懂',
    summary: '80周岁以上老人可申领，材料、流程、发放时间看这里。',
    body:
      '<h2>谁可以领</h2>' +
      p('具有本市户籍、年满80周岁的老年人。') +
      '<h2>需要什么材料</h2><ul><li>本人身份证、户口簿</li><li>本人社保卡或银行卡</li><li>代办的，需带代办人身份证</li></ul>' +
      '<h2>到哪里办</h2>' +
      p('到户籍所在地社区（村）便民服务站提交材料，社区审核后逐级上报。也可以在“文明实践云”上点单，志愿者上门帮您办理。') +
      '<blockquote>补贴按月发放到本人社保卡，如有疑问可拨打12345咨询。</blockquote>',
  },
  {
    region: '140105',
    kind: 'policy',
    title: '老旧小区改造：居民关心的五个问题',
    body:
      p('改造包括哪些内容？要不要居民出钱？施工期间怎么出行？改造方案怎样征求意见？完工后谁来管理？区住建局就居民关心的问题逐一作答。') +
      '<h3>一、改造内容</h3>' +
      p('基础类改造包括供水、排水、供电、道路、消防等设施，完善类包括加装电梯、停车位、充电桩等。') +
      '<h3>二、居民出资</h3>' +
      p('基础类改造由政府出资；加装电梯等完善类项目按照“谁受益、谁出资”的原则，由居民协商确定。'),
  },
  {
    region: '1401',
    kind: 'lecture',
    column: '党史记忆',
    title: '第一讲：太原解放与“三晋第一城”的新生',
    summary: '党史宣讲员讲述1949年太原战役与城市接管的故事。',
    speaker: '王建国',
    body:
      p('本讲回顾太原战役的历史背景、主要经过和伟大意义，讲述解放军进城后秋毫无犯、恢复生产的感人故事。') +
      p('适合党员“三会一课”、主题党日集中学习，也欢迎居民阅读。'),
  },
  {
    region: '1401',
    kind: 'lecture',
    column: '党史记忆',
    title: '第二讲：刘胡兰——生的伟大，死的光荣',
    speaker: '李秀英',
    body: p('宣讲员带大家走进刘胡兰纪念馆，讲述这位15岁共产党员的英雄事迹。'),
  },
  {
    region: '1401',
    kind: 'lecture',
    column: '健康讲堂',
    title: '冬季老年人如何预防心脑血管疾病',
    speaker: '张医生（家庭医生）',
    body: p('冬季气温低，血管收缩，是心脑血管疾病高发季节。家庭医生从保暖、饮食、运动和用药四个方面给老年朋友提出建议。'),
  },
  {
    region: '140110',
    kind: 'reading',
    column: '好书推荐',
    title: '《平凡的世界》：在平凡中活出不平凡',
    summary: '农家书屋本月推荐书目。',
    body:
      p('路遥的《平凡的世界》以孙少安、孙少平兄弟的奋斗为主线，展现了普通人在时代变迁中的坚韧与追求。') +
      p('本书在各社区实践站农家书屋均可借阅。读完后欢迎到实践站参加读书分享会，分享心得还可获得文明积分。'),
  },
  {
    region: '140110003002',
    kind: 'news',
    title: '（草稿）新城社区太极拳班冬季招生',
    body: p('太极拳班每周二、四早上开课，报名请到实践站。'),
    draft: true,
  },
];

/** Columns and content published by the demo sites, through the content use cases. */
export async function seedDemoContent(database: Database, config: Config, log: (m: string) => void) {
  const modules = createModules({ config, database });
  try {
    const adminRow = (await database.raw.query<{ id: string }>('SELECT id FROM users WHERE is_admin ORDER BY created_at LIMIT 1'))[0];
    const ctx: RequestCtx = adminRow
      ? { actor: await modules.auth.actorOf(adminRow.id), ip: '127.0.0.1', requestId: 'seed' }
      : { actor: { userId: newId(), name: '系统', phone: '', isAdmin: true, grants: [] }, ip: '127.0.0.1', requestId: 'seed' };
    const orgOf = async (region: string) => (await database.raw.query<{ id: string }>('SELECT id FROM orgs WHERE region_code = $1', [region]))[0]?.id;
    const columns = new Map<string, string>();
    for (const c of COLUMNS) {
      const orgId = await orgOf(c.region);
      if (!orgId) continue;
      const col = await modules.content.createColumn(ctx, { orgId, kind: c.kind, name: c.name, description: c.description });
      columns.set(c.name, col.id);
    }
    let published = 0;
    for (const it of ITEMS) {
      const orgId = await orgOf(it.region);
      if (!orgId) continue;
      const item = await modules.content.create(ctx, {
        orgId,
        kind: it.kind,
        title: it.title,
        summary: it.summary,
        bodyHtml: it.body,
        columnId: it.column ? columns.get(it.column) : undefined,
        speaker: it.speaker,
        mediaUrl: it.media?.url,
        mediaType: it.media?.type,
      });
      if (!it.draft) {
        await modules.content.publish(ctx, item.id);
        published++;
      }
    }
    log(`demo content: ${columns.size} columns, ${published} published items`);
  } finally {
    await modules.close();
  }
}

// The WeChat module as the composition root reaches it.
export { createWechatRepository, type WechatRepository } from './wechat.repository.ts';
export { createWechat, type Wechat } from './wechat.service.ts';
export { wechatRoutes } from './wechat.routes.ts';

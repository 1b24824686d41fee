// The exchange with 全国志愿服务信息系统 as other modules reach it.
export type { ExchangeService } from './exchange.service.ts';
export { NATIONAL_LAYOUT } from './national-layout.ts';

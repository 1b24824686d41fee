import { bindUseCase } from '../../lib/use-case.ts';
import { createExchangeKit, type ExchangeDeps } from './exchange-kit.ts';
import { exportVolunteerRecord } from './use-cases/export-volunteer-record.ts';
import { exportNationalBatch } from './use-cases/export-national-batch.ts';
import { importNational } from './use-cases/import-national.ts';

export type { ExchangeDeps };

/** The exchange with 全国志愿服务信息系统 (docs/volunteers.md). */
export function createExchangeService(deps: ExchangeDeps) {
  const kit = createExchangeKit(deps);
  return {
    volunteerRecord: bindUseCase(kit, exportVolunteerRecord),
    exportBatch: bindUseCase(kit, exportNationalBatch),
    importFile: bindUseCase(kit, importNational),
  };
}

export type ExchangeService = ReturnType<typeof createExchangeService>;

import { createVolunteerBulkKit, type VolunteerBulkDeps } from './volunteer-bulk-kit.ts';
import { bindUseCase } from '../../lib/use-case.ts';
import { downloadTemplate } from './use-cases/download-template.ts';
import { startImport } from './use-cases/start-import.ts';
import { getImport } from './use-cases/get-import.ts';
import { exportImportErrors } from './use-cases/export-import-errors.ts';
import { exportVolunteers } from './use-cases/export-volunteers.ts';
import { listPartyUnits } from './use-cases/list-party-units.ts';
import { drainImports } from './use-cases/drain-imports.ts';
import { importSettled } from './use-cases/import-settled.ts';

export type { VolunteerBulkDeps };
// Row checks and constants the tests and the activation flow use.
export { checkRow, IMPORT_BATCH_ROWS, normalizePhone, NO_PASSWORD } from './volunteer-bulk-kit.ts';

export function createVolunteerBulkService(deps: VolunteerBulkDeps) {
  const kit = createVolunteerBulkKit(deps);
  return {
    template: bindUseCase(kit, downloadTemplate),
    startImport: bindUseCase(kit, startImport),
    getImport: bindUseCase(kit, getImport),
    errorsWorkbook: bindUseCase(kit, exportImportErrors),
    exportXlsx: bindUseCase(kit, exportVolunteers),
    partyUnits: bindUseCase(kit, listPartyUnits),
    drain: bindUseCase(kit, drainImports),
    settled: bindUseCase(kit, importSettled),
  };
}

export type VolunteerBulkService = ReturnType<typeof createVolunteerBulkService>;

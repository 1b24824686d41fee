import { createPairingKit, type PairingDeps } from './pairing-kit.ts';
import { bindUseCase } from '../../lib/use-case.ts';
import { createResident } from './use-cases/create-resident.ts';
import { getResident } from './use-cases/get-resident.ts';
import { updateResident } from './use-cases/update-resident.ts';
import { listResidents } from './use-cases/list-residents.ts';
import { createPlan } from './use-cases/create-plan.ts';
import { getPlan } from './use-cases/get-plan.ts';
import { listPlans } from './use-cases/list-plans.ts';
import { updatePlan } from './use-cases/update-plan.ts';
import { transitionPlan } from './use-cases/transition-plan.ts';
import { listPlanTasks } from './use-cases/list-plan-tasks.ts';
import { listMyTasks } from './use-cases/list-my-tasks.ts';
import { getTask } from './use-cases/get-task.ts';
import { logVisit } from './use-cases/log-visit.ts';
import { markVisitMissed } from './use-cases/mark-visit-missed.ts';
import { generateTasks } from './use-cases/generate-tasks.ts';

export type { PairingDeps };

/** 结对帮扶: cared-for residents, plans with recurring visit rules, visit tasks and their logs. */
export function createPairingService(deps: PairingDeps) {
  const kit = createPairingKit(deps);
  return {
    createResident: bindUseCase(kit, createResident),
    getResident: bindUseCase(kit, getResident),
    updateResident: bindUseCase(kit, updateResident),
    listResidents: bindUseCase(kit, listResidents),
    createPlan: bindUseCase(kit, createPlan),
    getPlan: bindUseCase(kit, getPlan),
    listPlans: bindUseCase(kit, listPlans),
    updatePlan: bindUseCase(kit, updatePlan),
    transition: bindUseCase(kit, transitionPlan),
    planTasks: bindUseCase(kit, listPlanTasks),
    myTasks: bindUseCase(kit, listMyTasks),
    getTask: bindUseCase(kit, getTask),
    logVisit: bindUseCase(kit, logVisit),
    markMissed: bindUseCase(kit, markVisitMissed),
    generateTasks: bindUseCase(kit, generateTasks),
  };
}

export type PairingService = ReturnType<typeof createPairingService>;

import { bindUseCase } from '../../lib/use-case.ts';
import { createOrdersKit, type OrdersDeps } from './orders-kit.ts';
import { submitOrder } from './use-cases/submit-order.ts';
import { submitAssistedOrder } from './use-cases/submit-assisted-order.ts';
import { exportOrders } from './use-cases/export-orders.ts';
import { getOrder } from './use-cases/get-order.ts';
import { listOrders } from './use-cases/list-orders.ts';
import { listCandidates } from './use-cases/list-candidates.ts';
import { dispatchOrder } from './use-cases/dispatch-order.ts';
import { forwardOrder } from './use-cases/forward-order.ts';
import { rejectOrder } from './use-cases/reject-order.ts';
import { acceptOrder } from './use-cases/accept-order.ts';
import { declineOrder } from './use-cases/decline-order.ts';
import { startService } from './use-cases/start-service.ts';
import { completeOrder } from './use-cases/complete-order.ts';
import { resolveOrder } from './use-cases/resolve-order.ts';
import { rateOrder } from './use-cases/rate-order.ts';
import { cancelOrder } from './use-cases/cancel-order.ts';
import { reopenOrder } from './use-cases/reopen-order.ts';
import { correctTriage } from './use-cases/correct-triage.ts';
import { remindDue } from './use-cases/remind-due.ts';
import { escalateOverdue } from './use-cases/escalate-overdue.ts';
import { acknowledgeOrder } from './use-cases/acknowledge-order.ts';
import { disputeOrder } from './use-cases/dispute-order.ts';
import { requestExtension } from './use-cases/request-extension.ts';
import { decideExtension } from './use-cases/decide-extension.ts';
import { addCoUnit } from './use-cases/add-co-unit.ts';
import { remindStages, superviseStages } from './use-cases/supervise-stages.ts';
import { reassignOrder } from './use-cases/reassign-order.ts';

export type { OrdersDeps, TriageEngine } from './orders-kit.ts';

/** 群众点单 → 中心派单 → 志愿者接单 → 群众评单: each step is one use case in use-cases/; this binds them. */
export function createOrdersService(deps: OrdersDeps) {
  const kit = createOrdersKit(deps);
  return {
    present: kit.present,
    rolesOf: kit.rolesOf,
    submit: bindUseCase(kit, submitOrder),
    submitAssisted: bindUseCase(kit, submitAssistedOrder),
    exportXlsx: bindUseCase(kit, exportOrders),
    get: bindUseCase(kit, getOrder),
    list: bindUseCase(kit, listOrders),
    candidates: bindUseCase(kit, listCandidates),
    dispatch: bindUseCase(kit, dispatchOrder),
    forward: bindUseCase(kit, forwardOrder),
    reject: bindUseCase(kit, rejectOrder),
    accept: bindUseCase(kit, acceptOrder),
    decline: bindUseCase(kit, declineOrder),
    start: bindUseCase(kit, startService),
    complete: bindUseCase(kit, completeOrder),
    resolve: bindUseCase(kit, resolveOrder),
    rate: bindUseCase(kit, rateOrder),
    cancel: bindUseCase(kit, cancelOrder),
    reopen: bindUseCase(kit, reopenOrder),
    correctTriage: bindUseCase(kit, correctTriage),
    remindDue: bindUseCase(kit, remindDue),
    escalateOverdue: bindUseCase(kit, escalateOverdue),
    acknowledge: bindUseCase(kit, acknowledgeOrder),
    dispute: bindUseCase(kit, disputeOrder),
    requestExtension: bindUseCase(kit, requestExtension),
    decideExtension: bindUseCase(kit, decideExtension),
    addCoUnit: bindUseCase(kit, addCoUnit),
    superviseStages: bindUseCase(kit, superviseStages),
    remindStages: bindUseCase(kit, remindStages),
    reassign: bindUseCase(kit, reassignOrder),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;

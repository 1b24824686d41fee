import type { PairingResidentDto, TUpdatePairingResidentBody } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { outOfScope, residentNotFound, type PairingKit } from '../pairing-kit.ts';

export async function updateResident(deps: PairingKit, ctx: RequestCtx, id: string, body: TUpdatePairingResidentBody): Promise<PairingResidentDto> {
  const { db, pairing, staffIn, isStaffAnywhere, presentResident, auditBodyOf } = deps;
  const actor = requireActor(ctx);
  const r = await pairing.residentById(id);
  if (!r) throw residentNotFound();
  if (!staffIn(actor, r)) {
    if (isStaffAnywhere(actor)) throw outOfScope();
    throw residentNotFound();
  }
  if (body.linkedUserId && !(await pairing.userName(body.linkedUserId))) throw notFound({ zh: '关联的居民账号不存在', en: 'No such resident account' });
  const patch = Object.fromEntries(Object.entries({ ...body, tags: body.tags ? [...new Set(body.tags)] : undefined }).filter(([, v]) => v !== undefined));
  await db.transaction(async (tx) => {
    await pairing.updateResident(r.cityCode, r.id, patch, tx);
    await deps.audit.record(
      ctx,
      {
        cityCode: r.cityCode,
        action: 'pairing.resident.update',
        entityType: 'pairing_resident',
        entityId: r.id,
        before: auditBodyOf({ ...r }),
        after: auditBodyOf(body),
      },
      tx,
    );
  });
  return presentResident(actor, (await pairing.residentById(id))!, await pairing.isPairedWith(r.cityCode, r.id, actor.userId));
}

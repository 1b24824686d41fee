import type { PairingResidentDto, TCreatePairingResidentBody } from '@wenming/contracts';
import { notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { assertInScope, READ_ROLES, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

// ── cared-for residents ────────────────────────────────────────────────────────────────
export async function createResident(deps: PairingKit, ctx: RequestCtx, body: TCreatePairingResidentBody): Promise<PairingResidentDto> {
  const { db, pairing, presentResident, auditBodyOf } = deps;
  const actor = requireActor(ctx);
  const org = await deps.orgs.byId(body.orgId);
  if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
  assertInScope(actor, READ_ROLES, org);
  if (body.linkedUserId && !(await pairing.userName(body.linkedUserId))) throw notFound({ zh: '关联的居民账号不存在', en: 'No such resident account' });
  const id = newId();
  await db.transaction(async (tx) => {
    await pairing.insertResident(
      {
        cityCode: org.cityCode,
        id,
        orgId: org.id,
        name: body.name,
        address: body.address,
        phone: body.phone ?? null,
        gender: body.gender ?? null,
        birthYear: body.birthYear ?? null,
        tags: [...new Set(body.tags)],
        note: body.note ?? null,
        linkedUserId: body.linkedUserId ?? null,
        createdBy: actor.userId,
      },
      tx,
    );
    await deps.audit.record(
      ctx,
      { cityCode: org.cityCode, action: 'pairing.resident.create', entityType: 'pairing_resident', entityId: id, after: auditBodyOf(body) },
      tx,
    );
  });
  return presentResident(actor, (await pairing.residentById(id))!, false);
}

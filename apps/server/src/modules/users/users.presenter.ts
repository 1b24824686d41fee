import type { MeDto, RoleDto, UserDto } from '@wenming/contracts';
import { phoneAsSeenBy, type Actor, type Grant } from '../../lib/policy.ts';
import type { UserRow } from './users.repository.ts';
import { toIso } from '../../lib/time.ts';

export function presentGrant(g: Grant): RoleDto {
  const dto: RoleDto = { id: g.id, role: g.role, orgId: g.orgId, orgName: g.orgName };
  if (g.departmentId) {
    dto.departmentId = g.departmentId;
    dto.departmentName = g.departmentName ?? undefined;
  }
  return dto;
}

export function presentMe(actor: Actor, ledTeams: { id: string; name: string; orgId: string; orgName: string }[]): MeDto {
  const roles: RoleDto[] = actor.isAdmin ? [{ role: 'admin' }] : [];
  roles.push(...actor.grants.map(presentGrant));
  const me: MeDto = {
    id: actor.userId,
    name: actor.name,
    phone: actor.phone,
    roles,
    ledTeams: ledTeams.map((t) => ({ id: t.id, name: t.name, orgId: t.orgId, orgName: t.orgName })),
  };
  if (actor.volunteerId) me.volunteerId = actor.volunteerId;
  return me;
}

/** A user as another person sees them: the phone masked unless the viewer is that user or an admin. */
export function presentUser(user: UserRow, grants: Grant[], viewer: Actor): UserDto {
  const roles: RoleDto[] = user.isAdmin ? [{ role: 'admin' }] : [];
  roles.push(...grants.map(presentGrant));
  return {
    id: user.id,
    name: user.name,
    phone: phoneAsSeenBy(viewer, user.id, user.phone),
    status: user.status,
    createdAt: toIso(user.createdAt),
    roles,
  };
}

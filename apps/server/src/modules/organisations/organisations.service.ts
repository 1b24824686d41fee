import { bindUseCase } from '../../lib/use-case.ts';
import { createOrganisationsKit, type OrganisationsDeps } from './organisations-kit.ts';
import { createOrganisation } from './use-cases/create-organisation.ts';
import { updateOrganisation } from './use-cases/update-organisation.ts';
import { getOrganisation } from './use-cases/get-organisation.ts';
import { listOrganisations } from './use-cases/list-organisations.ts';
import { myOrganisations } from './use-cases/my-organisations.ts';
import { addOrganisationMember, listOrganisationMembers, removeOrganisationMember } from './use-cases/organisation-members.ts';
import { addOrganisationTeam, removeOrganisationTeam } from './use-cases/organisation-teams.ts';
import { addOrganisationAdmin, removeOrganisationAdmin } from './use-cases/organisation-admins.ts';
import { requestToJoin } from './use-cases/request-to-join.ts';
import { decideJoinRequest, withdrawJoinRequest } from './use-cases/decide-join-request.ts';
import { listJoinRequestsToDecide, listJoinTargets, listMyJoinRequests } from './use-cases/list-join-requests.ts';

export type { OrganisationsDeps };

/** 志愿服务组织 (registered organisations, their service area, teams, members and admins) and join requests. */
export function createOrganisationsService(deps: OrganisationsDeps) {
  const kit = createOrganisationsKit(deps);
  return {
    create: bindUseCase(kit, createOrganisation),
    update: bindUseCase(kit, updateOrganisation),
    get: bindUseCase(kit, getOrganisation),
    list: bindUseCase(kit, listOrganisations),
    mine: bindUseCase(kit, myOrganisations),
    members: bindUseCase(kit, listOrganisationMembers),
    addMember: bindUseCase(kit, addOrganisationMember),
    removeMember: bindUseCase(kit, removeOrganisationMember),
    addTeam: bindUseCase(kit, addOrganisationTeam),
    removeTeam: bindUseCase(kit, removeOrganisationTeam),
    addAdmin: bindUseCase(kit, addOrganisationAdmin),
    removeAdmin: bindUseCase(kit, removeOrganisationAdmin),
    requestToJoin: bindUseCase(kit, requestToJoin),
    decide: bindUseCase(kit, decideJoinRequest),
    withdraw: bindUseCase(kit, withdrawJoinRequest),
    myRequests: bindUseCase(kit, listMyJoinRequests),
    requestsToDecide: bindUseCase(kit, listJoinRequestsToDecide),
    joinTargets: bindUseCase(kit, listJoinTargets),
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;

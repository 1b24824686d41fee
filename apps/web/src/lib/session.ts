import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MeDto } from '@wenming/contracts';
import { api, isApiError } from './api-client';
import { ME_KEY } from './query-client';

/**
 * Who is signed in (null when nobody). The session itself is the HttpOnly `sid` cookie; this is
 * the app-wide view of it, shared by the admin console and the H5 pages.
 */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<MeDto | null> => {
      try {
        return await api<MeDto>('/me');
      } catch (e) {
        if (isApiError(e) && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useSetMe() {
  const qc = useQueryClient();
  return (me: MeDto | null) => qc.setQueryData(ME_KEY, me);
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api<void>('/auth/logout', { method: 'POST' });
      } catch (e) {
        // Already signed out is fine.
        if (!(isApiError(e) && e.status === 401)) throw e;
      }
    },
    onSuccess: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    },
  });
}

export const STAFF_ROLES = ['admin', 'org_admin', 'dispatcher'] as const;

export function isAdmin(me: MeDto | null | undefined): boolean {
  return !!me?.roles.some((r) => r.role === 'admin');
}

/** Staff work in the admin console: admins, and org admins and dispatchers of a site. */
export function isStaff(me: MeDto | null | undefined): boolean {
  return !!me?.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r.role));
}

/** 队长: leads at least one volunteer team (organises its activities, checks its members' hours). */
export function isTeamLeader(me: MeDto | null | undefined): boolean {
  return !!me?.ledTeams?.length;
}

/** Team leaders who hold no staff role use only the organiser pages of the console. */
export function isLeaderOnly(me: MeDto | null | undefined): boolean {
  return !isStaff(me) && isTeamLeader(me);
}

/**
 * The site a staff member's lists open on: the first site their org admin or dispatcher role
 * covers. Admins see everything, so no site is chosen for them.
 */
export function staffHomeOrgOf(me: MeDto): string | undefined {
  if (isAdmin(me)) return undefined;
  return me.roles.find((r) => r.orgId && (r.role === 'org_admin' || r.role === 'dispatcher'))?.orgId;
}

/** Who may manage users and departments: admins and org admins. */
export function canManage(me: MeDto | null | undefined): boolean {
  return !!me?.roles.some((r) => r.role === 'admin' || r.role === 'org_admin');
}

/** 职能部门专员: handles the complaints forwarded to their department (接诉即办). */
export function isDeptOfficer(me: MeDto | null | undefined): boolean {
  return !!me?.roles.some((r) => r.role === 'dept_officer');
}

/** Where a user lands after signing in: staff and department officers work in the console (PC). */
export function homeOf(me: MeDto | null | undefined): string {
  return isStaff(me) || isDeptOfficer(me) ? '/admin' : '/h5';
}

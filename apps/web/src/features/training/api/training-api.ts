import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CourseDto,
  LecturerDto,
  Page,
  QualificationDto,
  TCreateCourseBody,
  TCreateLecturerBody,
  TCreateQualificationBody,
  TCreateTrainingSessionBody,
  TrainingSessionDto,
  TrainingSignupDto,
  VolunteerTrainingDto,
} from '@wenming/contracts';
import { api } from '../../../lib/api-client';

export type SessionView = 'open' | 'mine' | 'all';

export const trainingKeys = {
  all: ['training'] as const,
  courses: (orgId?: string) => ['training', 'courses', orgId ?? ''] as const,
  lecturers: (orgId?: string) => ['training', 'lecturers', orgId ?? ''] as const,
  sessions: (view: SessionView, orgId?: string) => ['training', 'sessions', view, orgId ?? ''] as const,
  session: (id: string) => ['training', 'session', id] as const,
  signups: (id: string) => ['training', 'signups', id] as const,
  code: (id: string) => ['training', 'code', id] as const,
  volunteer: (id: string) => ['training', 'volunteer', id] as const,
};

function paged<T>(key: readonly unknown[], path: string, query: Record<string, string | undefined>) {
  return {
    queryKey: key,
    queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) =>
      api<Page<T>>(path, { query: { ...query, limit: 30, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<T>) => last.nextCursor,
  };
}

export const useCourses = (orgId?: string) => useInfiniteQuery(paged<CourseDto>(trainingKeys.courses(orgId), '/training/courses', { orgId }));
export const useLecturers = (orgId?: string) => useInfiniteQuery(paged<LecturerDto>(trainingKeys.lecturers(orgId), '/training/lecturers', { orgId }));
export const useSessions = (view: SessionView, orgId?: string) =>
  useInfiniteQuery(paged<TrainingSessionDto>(trainingKeys.sessions(view, orgId), '/training/sessions', { view, orgId }));

export function useSession(id: string | undefined) {
  return useQuery({ queryKey: trainingKeys.session(id ?? ''), queryFn: () => api<TrainingSessionDto>(`/training/sessions/${id}`), enabled: !!id });
}
export function useSessionSignups(id: string | undefined) {
  return useQuery({
    queryKey: trainingKeys.signups(id ?? ''),
    queryFn: () => api<{ items: TrainingSignupDto[] }>(`/training/sessions/${id}/signups`),
    enabled: !!id,
  });
}
/** The rotating code, fetched again before it expires. */
export function useSessionCode(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: trainingKeys.code(id ?? ''),
    queryFn: () => api<{ code: string; expiresAt: string }>(`/training/sessions/${id}/checkin-code`),
    enabled: !!id && enabled,
    refetchInterval: 20_000,
  });
}
export function useVolunteerTraining(volunteerId: string | null | undefined) {
  return useQuery({
    queryKey: trainingKeys.volunteer(volunteerId ?? ''),
    queryFn: () => api<VolunteerTrainingDto>(`/volunteers/${volunteerId}/training`),
    enabled: !!volunteerId,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trainingKeys.all });
}

export function useCreateLecturer() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: TCreateLecturerBody) => api<LecturerDto>('/training/lecturers', { method: 'POST', body: b }), onSuccess: done });
}
export function useCreateCourse() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: TCreateCourseBody) => api<CourseDto>('/training/courses', { method: 'POST', body: b }), onSuccess: done });
}
export function useCreateSession() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (b: TCreateTrainingSessionBody) => api<TrainingSessionDto>('/training/sessions', { method: 'POST', body: b }),
    onSuccess: done,
  });
}
export function useSessionAction() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: 'signups' | 'finish' | 'cancel' | 'checkin' | 'attendance'; body?: object }) =>
      api<unknown>(`/training/sessions/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSuccess: done,
  });
}
export function useAddQualification(volunteerId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (b: TCreateQualificationBody) => api<QualificationDto>(`/volunteers/${volunteerId}/qualifications`, { method: 'POST', body: b }),
    onSuccess: done,
  });
}

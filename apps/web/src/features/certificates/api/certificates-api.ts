import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page, VolunteerDto } from '@wenming/contracts';
import { api, isApiError } from '../../../lib/api-client';
import { uuid } from '../../../lib/uuid';

export type { CertificateData, CertificateDto, CertificateSummaryDto, VerificationDto } from '@wenming/contracts';
import type { CertificateDto, CertificateSummaryDto, VerificationDto } from '@wenming/contracts';

export const certificateKeys = {
  /** Shared with the volunteers feature: the same request, the same cache entry. */
  myVolunteer: ['volunteers', 'me'] as const,
  ofVolunteer: (volunteerId: string) => ['certificates', 'of', volunteerId] as const,
  one: (serial: string) => ['certificates', 'one', serial] as const,
  verify: (serial: string) => ['certificates', 'verify', serial] as const,
};

/** The verification page a certificate's QR code points to, on the site the page was opened from. */
export const verifyUrlOf = (serial: string, origin: string) => `${origin}/verify/${encodeURIComponent(serial)}`;

/** My volunteer profile; null when I have not reported in (404). */
export function useMyVolunteerProfile(enabled = true) {
  return useQuery({
    queryKey: certificateKeys.myVolunteer,
    queryFn: async () => {
      try {
        return await api<VolunteerDto>('/volunteers/me');
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
    enabled,
  });
}

export function useVolunteerCertificates(volunteerId: string | undefined) {
  return useQuery({
    queryKey: certificateKeys.ofVolunteer(volunteerId ?? ''),
    queryFn: () => api<Page<CertificateSummaryDto>>(`/volunteers/${volunteerId}/certificates`, { query: { limit: 50 } }),
    enabled: !!volunteerId,
  });
}

/** Issues a new certificate; one key per click, so a retried request does not issue twice. */
export function useIssueCertificate(volunteerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string | undefined) =>
      api<CertificateDto>(`/volunteers/${volunteerId}/certificates`, { method: 'POST', headers: { 'Idempotency-Key': idempotencyKey ?? uuid() } }),
    onSuccess: (c) => {
      qc.setQueryData(certificateKeys.one(c.serial), c);
      void qc.invalidateQueries({ queryKey: certificateKeys.ofVolunteer(volunteerId) });
    },
  });
}

export function useCertificate(serial: string) {
  return useQuery({ queryKey: certificateKeys.one(serial), queryFn: () => api<CertificateDto>(`/certificates/${encodeURIComponent(serial)}`), retry: false });
}

/** The public check: no sign-in. A 404 means no such certificate (null). */
export function useVerification(serial: string) {
  return useQuery({
    queryKey: certificateKeys.verify(serial),
    queryFn: async () => {
      try {
        return await api<VerificationDto>(`/certificates/${encodeURIComponent(serial)}/verify`);
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
    retry: false,
  });
}

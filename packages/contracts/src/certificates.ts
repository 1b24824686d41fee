/** 志愿服务记录证明: what the server issues and the pages show (shared by server and web). */

/** The five parts of a certificate (《志愿服务记录与证明出具办法》) plus the issuer: what is hashed. */
export interface CertificateData {
  version: 1;
  serial: string;
  issuedAt: string;
  basic: {
    name: string;
    idNumber: string;
    gender: 'male' | 'female' | null;
    genderName: string;
    politicalStatus: string;
    politicalStatusName: string;
    site: { id: string; name: string };
    registeredAt: string;
  };
  service: {
    totalHours: number;
    recordCount: number;
    period: { from: string; to: string } | null;
    bySource: { source: string; name: string; records: number; hours: number }[];
    byCategory: { category: string | null; name: string; records: number; hours: number }[];
    recent: { date: string | null; title: string; source: string; category: string | null; site: string; hours: number }[];
    recentLimit: number;
  };
  /** `totalHours`: training hours, apart from service hours (absent on certificates issued before training was recorded). */
  training: { records: { name: string; hours: number; date: string }[]; note: string | null; totalHours?: number };
  /** `awards`: honours from selection rounds (评选表彰), absent on certificates issued before they were recorded. */
  honours: { star: number; starName: string | null; basis: string; note: string | null; awards?: { round: string; award: string; date: string }[] };
  evaluation: { ratedOrders: number; averageRating: number | null; note: string | null };
  issuer: { platform: string; note: string; cityCode: string; site: { id: string; name: string }; center: { id: string; name: string } | null };
}

export interface CertificateDto {
  serial: string;
  issuedAt: string;
  verifyUrl: string;
  contentHash: string;
  volunteerId: string;
  revokedAt: string | null;
  revokedReason: string | null;
  data: CertificateData;
  allowedActions: string[];
}

export interface CertificateSummaryDto {
  serial: string;
  issuedAt: string;
  issuedByName: string | null;
  verifyUrl: string;
  totalHours: number;
  star: number;
  revokedAt: string | null;
}

export type VerificationDto =
  | {
      valid: true;
      serial: string;
      issuedAt: string;
      holder: string;
      site: string;
      center: string | null;
      totalHours: number;
      star: number;
      contentHash: string;
    }
  | { valid: false; reason: 'revoked'; serial: string; issuedAt: string; revokedAt: string };

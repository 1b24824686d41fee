import { z } from 'zod';
import { POLITICAL_STATUS_NAMES, type Page } from '@wenming/contracts';
import { starLevel, STAR_THRESHOLDS } from '@wenming/domain';
import type { CertificateData, CertificateDto, CertificateSummaryDto, VerificationDto } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { forbidden, invalidState, notFound, pgCode, pgConstraint, PG } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { VolunteerRow, VolunteersService } from '../volunteers/index.ts';
import {
  contentHash,
  EVALUATION_NONE,
  maskName,
  newSerial,
  parseSerial,
  PLATFORM_NAME,
  PLATFORM_NOTE,
  roundHours,
  starName,
  TRAINING_NONE,
} from './certificate-rules.ts';
import type { CertificateRow, CertificatesRepository, CertificateWithHolder } from './certificates.repository.ts';

const SOURCE_NAMES = { activity: '文明实践活动', order: '群众点单服务', manual: '补录服务', pairing: '结对帮扶' } as const;
const GENDER_NAMES = { male: '男', female: '女' } as const;
/** Rows in the certificate's detail table: enough to show the service, few enough for one A4 page. */
export const RECENT_RECORDS = 6;
const ZCursor = z.object({ issuedAt: ZCursorTime, id: z.string().uuid() });

export interface CertificatesDeps {
  db: Db;
  certificates: CertificatesRepository;
  volunteersService: VolunteersService;
  audit: AuditRepository;
  clock?: () => Date;
}

const certificateNotFound = () => notFound({ zh: '证明编号不存在', en: 'No certificate with this serial' });
const verifyPath = (serial: string) => `/verify/${serial}`;

/** 志愿服务记录证明: issue (a snapshot with its hash), list, read, verify in public, revoke. */
export function createCertificatesService(deps: CertificatesDeps) {
  const { db, certificates, volunteersService, audit } = deps;
  const clock = deps.clock ?? (() => new Date());

  /** The volunteer and how the caller relates to them: only the person and staff of the subtree. */
  async function loadHolder(ctx: RequestCtx, volunteerId: string) {
    const { actor, v, level } = await volunteersService.load(ctx, volunteerId);
    if (level === 'leader')
      throw forbidden({ zh: '志愿服务证明仅限本人或所属阵地的工作人员出具和查看', en: 'Only the volunteer or staff of their site may do this' });
    return { actor, v, level };
  }

  /** Access to one certificate: the holder, or staff (any read role) of the holder's site subtree. */
  function accessTo(actor: Actor, c: CertificateWithHolder): 'self' | 'manage' | 'staff' | null {
    if (actor.userId === c.holderUserId) return 'self';
    const ref = { cityCode: c.cityCode, path: c.holderOrgPath };
    if (inScope(scopeOf(actor, MANAGE_ROLES), ref)) return 'manage';
    if (inScope(scopeOf(actor, READ_ROLES), ref)) return 'staff';
    return null;
  }

  async function findBySerial(input: string): Promise<CertificateWithHolder> {
    const parsed = parseSerial(input);
    if (!parsed) throw certificateNotFound();
    const c = await certificates.bySerial(parsed.cityCode, parsed.serial);
    if (!c) throw certificateNotFound();
    return c;
  }

  /** Reads the figures that go on the certificate, at this moment. */
  async function collect(v: VolunteerRow, serial: string, issuedAt: Date): Promise<CertificateData> {
    const [groups, recent, ratings, center, training, awards] = await Promise.all([
      certificates.verifiedGroups(v.cityCode, v.id),
      certificates.recentVerified(v.cityCode, v.id, RECENT_RECORDS),
      certificates.ratings(v.cityCode, v.id),
      certificates.centerOf(v.cityCode, v.orgPath),
      certificates.training(v.cityCode, v.id),
      certificates.awards(v.cityCode, v.id),
    ]);
    const totalHours = roundHours(groups.reduce((s, g) => s + g.hours, 0));
    const recordCount = groups.reduce((s, g) => s + g.records, 0);
    const froms = groups
      .map((g) => g.from)
      .filter((d): d is string => !!d)
      .sort();
    const tos = groups
      .map((g) => g.to)
      .filter((d): d is string => !!d)
      .sort();
    const bySource = new Map<string, { source: string; name: string; records: number; hours: number }>();
    const byCategory = new Map<string, { category: string | null; name: string; records: number; hours: number }>();
    for (const g of groups) {
      const s = bySource.get(g.source) ?? { source: g.source, name: SOURCE_NAMES[g.source] ?? g.source, records: 0, hours: 0 };
      s.records += g.records;
      s.hours = roundHours(s.hours + g.hours);
      bySource.set(g.source, s);
      const key = g.category ?? '';
      const c = byCategory.get(key) ?? { category: g.category, name: g.categoryName ?? '其他服务', records: 0, hours: 0 };
      c.records += g.records;
      c.hours = roundHours(c.hours + g.hours);
      byCategory.set(key, c);
    }
    const star = starLevel(totalHours);
    const site = { id: v.orgId, name: v.orgName };
    return {
      version: 1,
      serial,
      issuedAt: toIso(issuedAt),
      basic: {
        name: v.realName,
        idNumber: v.idNumberMasked,
        gender: v.gender ?? null,
        genderName: v.gender ? GENDER_NAMES[v.gender] : '—',
        politicalStatus: v.politicalStatus,
        politicalStatusName: POLITICAL_STATUS_NAMES[v.politicalStatus] ?? v.politicalStatus,
        site,
        registeredAt: toIso(v.createdAt).slice(0, 10),
      },
      service: {
        totalHours,
        recordCount,
        period: froms.length && tos.length ? { from: froms[0]!, to: tos.at(-1)! } : null,
        bySource: [...bySource.values()].sort((a, b) => b.hours - a.hours || a.source.localeCompare(b.source)),
        byCategory: [...byCategory.values()].sort((a, b) => b.hours - a.hours || (a.category ?? '~').localeCompare(b.category ?? '~')),
        recent: recent.map((r) => ({
          date: r.date,
          title: r.title ?? SOURCE_NAMES[r.source],
          source: r.source,
          category: r.categoryName,
          site: r.siteName,
          hours: r.hours,
        })),
        recentLimit: RECENT_RECORDS,
      },
      training: {
        records: training,
        note: training.length ? null : TRAINING_NONE,
        totalHours: roundHours(training.reduce((sum, r) => sum + r.hours, 0)),
      },
      honours: {
        star,
        starName: starName(star),
        basis: `依据累计认定服务时长评定：${STAR_THRESHOLDS.map((h, i) => `${'一二三四五'[i]}星${h}小时`).join('、')}`,
        note: star === 0 && !awards.length ? '暂未达到星级' : null,
        awards,
      },
      evaluation: ratings.count
        ? { ratedOrders: ratings.count, averageRating: ratings.average, note: null }
        : { ratedOrders: 0, averageRating: null, note: EVALUATION_NONE },
      issuer: { platform: PLATFORM_NAME, note: PLATFORM_NOTE, cityCode: v.cityCode, site, center },
    };
  }

  function present(actor: Actor, c: CertificateRow, level: string, origin: string): CertificateDto {
    return {
      serial: c.serial,
      issuedAt: toIso(c.issuedAt),
      verifyUrl: `${origin}${verifyPath(c.serial)}`,
      contentHash: c.contentHash,
      volunteerId: c.volunteerId,
      revokedAt: c.revokedAt ? toIso(c.revokedAt) : null,
      revokedReason: c.revokedReason,
      data: c.snapshot as unknown as CertificateData,
      allowedActions: level === 'manage' && !c.revokedAt ? ['revoke'] : [],
    };
  }

  return {
    /** Issues a new certificate (each call its own serial): the figures are snapshotted and hashed. */
    async issue(ctx: RequestCtx, volunteerId: string, origin: string): Promise<CertificateDto> {
      const { actor, v, level } = await loadHolder(ctx, volunteerId);
      // A serial collides about once in a billion issues a day per city; try again then.
      for (let attempt = 0; ; attempt++) {
        // Whole seconds: the time printed on the certificate is the time stored.
        const issuedAt = new Date(Math.floor(clock().getTime() / 1000) * 1000);
        const serial = newSerial(v.cityCode, toIso(issuedAt).slice(0, 10));
        const data = await collect(v, serial, issuedAt);
        const row = {
          cityCode: v.cityCode,
          id: newId(),
          serial,
          volunteerId: v.id,
          issuedBy: actor.userId,
          issuedAt,
          snapshot: data as unknown as Record<string, unknown>,
          contentHash: contentHash(data),
        };
        try {
          await db.transaction(async (tx) => {
            await certificates.insert(row, tx);
            await audit.record(
              ctx,
              {
                cityCode: v.cityCode,
                action: 'certificate.issue',
                entityType: 'certificate',
                entityId: serial,
                after: { volunteerId: v.id, totalHours: data.service.totalHours, contentHash: row.contentHash },
              },
              tx,
            );
          });
        } catch (e) {
          if (attempt < 4 && pgCode(e) === PG.uniqueViolation && pgConstraint(e) === 'certificates_serial_key') continue;
          throw e;
        }
        return present(actor, { ...row, revokedAt: null, revokedBy: null, revokedReason: null }, level, origin);
      }
    },

    async listOfVolunteer(ctx: RequestCtx, volunteerId: string, q: { limit: number; cursor?: string }, origin: string): Promise<Page<CertificateSummaryDto>> {
      const { v } = await loadHolder(ctx, volunteerId);
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await certificates.listByVolunteer(v.cityCode, v.id, {
        before: c ? { issuedAt: new Date(c.issuedAt), id: c.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => {
          const data = r.snapshot as unknown as CertificateData;
          return {
            serial: r.serial,
            issuedAt: toIso(r.issuedAt),
            issuedByName: r.issuedByName,
            verifyUrl: `${origin}${verifyPath(r.serial)}`,
            totalHours: data.service.totalHours,
            star: data.honours.star,
            revokedAt: r.revokedAt ? toIso(r.revokedAt) : null,
          };
        }),
        nextCursor: rows.length > q.limit ? encodeCursor({ issuedAt: page.at(-1)!.issuedAt.toISOString(), id: page.at(-1)!.id }) : null,
      };
    },

    /** The whole certificate, for its printable page: the holder, or staff of their subtree. */
    async get(ctx: RequestCtx, serial: string, origin: string): Promise<CertificateDto> {
      const actor = requireActor(ctx);
      const c = await findBySerial(serial);
      const level = accessTo(actor, c);
      if (!level) throw forbidden({ zh: '无权查看该证明', en: 'You may not see this certificate' });
      if (level !== 'self') await audit.record(ctx, { cityCode: c.cityCode, action: 'certificate.view', entityType: 'certificate', entityId: c.serial });
      return present(actor, c, level, origin);
    },

    /** The public check behind the QR code: masked name and the figures, nothing private. */
    async verify(serial: string): Promise<VerificationDto> {
      const c = await findBySerial(serial);
      if (c.revokedAt) return { valid: false, reason: 'revoked', serial: c.serial, issuedAt: toIso(c.issuedAt), revokedAt: toIso(c.revokedAt) };
      const data = c.snapshot as unknown as CertificateData;
      return {
        valid: true,
        serial: c.serial,
        issuedAt: toIso(c.issuedAt),
        holder: maskName(data.basic.name),
        site: data.issuer.site.name,
        center: data.issuer.center?.name ?? null,
        totalHours: data.service.totalHours,
        star: data.honours.star,
        contentHash: c.contentHash,
      };
    },

    /** Withdraws a certificate (e.g. issued on records later revoked): org admins of the subtree. */
    async revoke(ctx: RequestCtx, serial: string, reason: string, origin: string): Promise<CertificateDto> {
      const actor = requireActor(ctx);
      const c = await findBySerial(serial);
      const level = accessTo(actor, c);
      if (level !== 'manage') throw forbidden({ zh: '仅所属阵地的管理员可以作废证明', en: 'Only admins of the site may revoke a certificate' });
      const updated = await db.transaction(async (tx) => {
        const r = await certificates.revoke(c.cityCode, c.id, actor.userId, reason, tx);
        if (!r) throw invalidState({ zh: '该证明已作废', en: 'The certificate is already revoked' });
        await audit.record(
          ctx,
          { cityCode: c.cityCode, action: 'certificate.revoke', entityType: 'certificate', entityId: c.serial, before: { revokedAt: null }, after: { reason } },
          tx,
        );
        return r;
      });
      return present(actor, updated, level, origin);
    },
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;

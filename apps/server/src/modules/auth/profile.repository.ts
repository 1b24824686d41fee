import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, users } from '../../db/schema.ts';

/** The person's own profile on the account (migrations 0025, 0038): name, community, address, 长辈模式. */
export function createProfileRepository(db: Executor) {
  return {
    /** The user's community with its name (joined by city code and id), and address. */
    async homeOf(
      userId: string,
      tx: Executor = db,
    ): Promise<{ homeOrgId: string | null; homeOrgName: string | null; address: string | null; elderMode?: boolean }> {
      const [row] = await tx
        .select({ homeOrgId: users.homeOrgId, homeOrgName: orgs.name, address: users.address, elderMode: users.elderMode })
        .from(users)
        .leftJoin(orgs, and(eq(orgs.cityCode, users.homeCityCode), eq(orgs.id, users.homeOrgId)))
        .where(eq(users.id, userId));
      return row ?? { homeOrgId: null, homeOrgName: null, address: null };
    },

    /** Sets what is given (undefined: left as it is); returns the row, or null when there is no such user. */
    async update(
      userId: string,
      p: { name?: string; home?: { cityCode: string; orgId: string } | null; address?: string | null; elderMode?: boolean; at: Date },
      tx: Executor = db,
    ) {
      const [row] = await tx
        .update(users)
        .set({
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.home !== undefined ? { homeCityCode: p.home?.cityCode ?? null, homeOrgId: p.home?.orgId ?? null } : {}),
          ...(p.address !== undefined ? { address: p.address === '' ? null : p.address } : {}),
          ...(p.elderMode !== undefined ? { elderMode: p.elderMode } : {}),
          updatedAt: p.at,
        })
        .where(eq(users.id, userId))
        .returning();
      return row ?? null;
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;

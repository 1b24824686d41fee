import { bindUseCase } from '../../lib/use-case.ts';
import { createHonoursKit, type HonoursDeps } from './honours-kit.ts';
import { createRound } from './use-cases/create-round.ts';
import { listRounds } from './use-cases/list-rounds.ts';
import { getRound } from './use-cases/get-round.ts';
import { transitionRound } from './use-cases/transition-round.ts';
import { nominate } from './use-cases/nominate.ts';
import { reviewNomination } from './use-cases/review-nomination.ts';
import { awardNomination } from './use-cases/award-nomination.ts';
import { vote } from './use-cases/vote.ts';
import { honourRoll, volunteerHonours } from './use-cases/list-honours.ts';

export type { HonoursDeps };

/** 评选表彰: selection rounds, nominations, review, public voting, honours and the roll. */
export function createHonoursService(deps: HonoursDeps) {
  const kit = createHonoursKit(deps);
  return {
    createRound: bindUseCase(kit, createRound),
    listRounds: bindUseCase(kit, listRounds),
    getRound: bindUseCase(kit, getRound),
    transition: bindUseCase(kit, transitionRound),
    nominate: bindUseCase(kit, nominate),
    review: bindUseCase(kit, reviewNomination),
    award: bindUseCase(kit, awardNomination),
    vote: bindUseCase(kit, vote),
    roll: bindUseCase(kit, honourRoll),
    volunteerHonours: bindUseCase(kit, volunteerHonours),
  };
}

export type HonoursService = ReturnType<typeof createHonoursService>;

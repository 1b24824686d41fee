import { createActivitiesKit, type ActivitiesDeps } from './activities-kit.ts';
import { bindUseCase } from '../../lib/use-case.ts';
import { createActivity } from './use-cases/create-activity.ts';
import { getActivity } from './use-cases/get-activity.ts';
import { cancelActivity } from './use-cases/cancel-activity.ts';
import { updateActivity } from './use-cases/update-activity.ts';
import { rateActivity } from './use-cases/rate-activity.ts';
import { listRatings } from './use-cases/list-ratings.ts';
import { writeReport } from './use-cases/write-report.ts';
import { remindUpcoming } from './use-cases/remind-upcoming.ts';
import { listActivities } from './use-cases/list-activities.ts';
import { publishActivity } from './use-cases/publish-activity.ts';
import { finishActivity } from './use-cases/finish-activity.ts';
import { signUp } from './use-cases/sign-up.ts';
import { withdrawSignup } from './use-cases/withdraw-signup.ts';
import { listSignups } from './use-cases/list-signups.ts';
import { issueCheckinCode } from './use-cases/issue-checkin-code.ts';
import { stampAttendance } from './use-cases/stamp-attendance.ts';
import { markAttendance } from './use-cases/mark-attendance.ts';
import { exportSignups } from './use-cases/export-signups.ts';

export type { ActivitiesDeps };

export function createActivitiesService(deps: ActivitiesDeps) {
  const kit = createActivitiesKit(deps);
  return {
    create: bindUseCase(kit, createActivity),
    get: bindUseCase(kit, getActivity),
    cancel: bindUseCase(kit, cancelActivity),
    update: bindUseCase(kit, updateActivity),
    rate: bindUseCase(kit, rateActivity),
    ratings: bindUseCase(kit, listRatings),
    report: bindUseCase(kit, writeReport),
    remindUpcoming: bindUseCase(kit, remindUpcoming),
    list: bindUseCase(kit, listActivities),
    publish: bindUseCase(kit, publishActivity),
    finish: bindUseCase(kit, finishActivity),
    signup: bindUseCase(kit, signUp),
    withdraw: bindUseCase(kit, withdrawSignup),
    signups: bindUseCase(kit, listSignups),
    checkinCode: bindUseCase(kit, issueCheckinCode),
    stamp: bindUseCase(kit, stampAttendance),
    attendance: bindUseCase(kit, markAttendance),
    exportSignups: bindUseCase(kit, exportSignups),
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;

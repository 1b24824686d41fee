import { bindUseCase } from '../../lib/use-case.ts';
import { createTrainingKit, type TrainingDeps } from './training-kit.ts';
import { createLecturer } from './use-cases/create-lecturer.ts';
import { updateLecturer } from './use-cases/update-lecturer.ts';
import { listLecturers } from './use-cases/list-lecturers.ts';
import { createCourse } from './use-cases/create-course.ts';
import { updateCourse } from './use-cases/update-course.ts';
import { getCourse } from './use-cases/get-course.ts';
import { listCourses } from './use-cases/list-courses.ts';
import { createSession } from './use-cases/create-session.ts';
import { getSession } from './use-cases/get-session.ts';
import { listSessions } from './use-cases/list-sessions.ts';
import { signUpSession } from './use-cases/sign-up-session.ts';
import { listSessionSignups } from './use-cases/list-session-signups.ts';
import { issueSessionCode } from './use-cases/issue-session-code.ts';
import { checkInSession } from './use-cases/check-in-session.ts';
import { markSessionAttendance } from './use-cases/mark-session-attendance.ts';
import { finishSession } from './use-cases/finish-session.ts';
import { cancelSession } from './use-cases/cancel-session.ts';
import { getVolunteerTraining } from './use-cases/get-volunteer-training.ts';
import { addQualification } from './use-cases/add-qualification.ts';
import { revokeQualification } from './use-cases/revoke-qualification.ts';
import { getRequiredQualifications, setRequiredQualifications } from './use-cases/set-required-qualifications.ts';
import { missingQualifications } from './use-cases/missing-qualifications.ts';

export type { TrainingDeps };

/** 培训: courses, lecturers, sessions with QR attendance, training hours, qualifications. */
export function createTrainingService(deps: TrainingDeps) {
  const kit = createTrainingKit(deps);
  return {
    createLecturer: bindUseCase(kit, createLecturer),
    updateLecturer: bindUseCase(kit, updateLecturer),
    listLecturers: bindUseCase(kit, listLecturers),
    createCourse: bindUseCase(kit, createCourse),
    updateCourse: bindUseCase(kit, updateCourse),
    getCourse: bindUseCase(kit, getCourse),
    listCourses: bindUseCase(kit, listCourses),
    createSession: bindUseCase(kit, createSession),
    getSession: bindUseCase(kit, getSession),
    listSessions: bindUseCase(kit, listSessions),
    signUp: bindUseCase(kit, signUpSession),
    signups: bindUseCase(kit, listSessionSignups),
    checkinCode: bindUseCase(kit, issueSessionCode),
    checkIn: bindUseCase(kit, checkInSession),
    attendance: bindUseCase(kit, markSessionAttendance),
    finish: bindUseCase(kit, finishSession),
    cancel: bindUseCase(kit, cancelSession),
    volunteerTraining: bindUseCase(kit, getVolunteerTraining),
    addQualification: bindUseCase(kit, addQualification),
    revokeQualification: bindUseCase(kit, revokeQualification),
    requiredQualifications: bindUseCase(kit, getRequiredQualifications),
    setRequiredQualifications: bindUseCase(kit, setRequiredQualifications),
    missingQualifications: bindUseCase(kit, missingQualifications),
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;

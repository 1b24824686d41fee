// The departments module as other modules reach it.
export type { DepartmentRow, DepartmentsRepository } from './departments.repository.ts';

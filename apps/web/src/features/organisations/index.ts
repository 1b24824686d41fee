// The organisations feature (志愿服务组织) as other web features reach it.
export { useMyOrganisations } from './api/organisations-api';

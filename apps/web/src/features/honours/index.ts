// The honours feature as the app reaches it.
export { AdminHonoursPage } from './components/admin-honours-page';
export { H5HonoursPage } from './components/h5-honours-page';
export { useVolunteerHonours } from './api/honours-api';

// The volunteers feature as other features reach it.
export { VolunteerSelect } from './components/volunteer-select';

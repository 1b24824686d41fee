// The training feature as the app reaches it.
export { AdminTrainingPage } from './components/admin-training-page';
export { H5TrainingPage, H5TrainingCheckinPage } from './components/h5-training-page';

/** The public face of the workbench feature: the staff home page the console opens on. */
export { WorkbenchPage, WORKBENCH_PATH } from './components/workbench-page';

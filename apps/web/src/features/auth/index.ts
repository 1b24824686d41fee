/** The public face of the auth feature for other features: the password dialog 我的 and the console menu open. */
export { ChangePasswordModal } from './components/change-password-modal';

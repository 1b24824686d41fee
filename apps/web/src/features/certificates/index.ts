/** The public face of the certificates feature: the link others place, and the pages the router mounts. */
export { CertificateLink, CERTIFICATE_H5_PATH } from './components/certificate-link';

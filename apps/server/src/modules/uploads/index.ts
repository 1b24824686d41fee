// The uploads module as other modules reach it: stored files and the URL they are served at.
export { uploadUrl } from './uploads.service.ts';
export type { UploadRow, UploadsRepository } from './uploads.repository.ts';

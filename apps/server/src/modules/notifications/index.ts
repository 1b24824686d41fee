// The notifications module as other modules reach it: the inbox rows a use case writes in its transaction.
export type { NewNotification, NotificationDto, NotificationsRepository } from './notifications.repository.ts';

import type { Config } from '../../config.ts';
import { aliyunSms } from './aliyun.ts';
import { logSms, type SmsSender, type SmsTemplates } from './sms.ts';
import { tencentSms } from './tencent.ts';

/** The templates named by the settings: SMS_TEMPLATE_CODE and SMS_TEMPLATE_<KIND>. */
export function smsTemplates(config: Config): SmsTemplates {
  return {
    verification: config.SMS_TEMPLATE_CODE,
    'order.dispatched': config.SMS_TEMPLATE_ORDER_DISPATCHED,
    'order.escalated': config.SMS_TEMPLATE_ORDER_ESCALATED,
    'order.reminder': config.SMS_TEMPLATE_ORDER_REMINDER,
    'order.completed': config.SMS_TEMPLATE_ORDER_COMPLETED,
    'order.forwarded': config.SMS_TEMPLATE_ORDER_FORWARDED,
    'order.supervised': config.SMS_TEMPLATE_ORDER_SUPERVISED,
    'booking.approve': config.SMS_TEMPLATE_BOOKING_APPROVED,
    'booking.reject': config.SMS_TEMPLATE_BOOKING_REJECTED,
    'booking.reminder': config.SMS_TEMPLATE_BOOKING_REMINDER,
    'activity.reminder': config.SMS_TEMPLATE_ACTIVITY_REMINDER,
  };
}

/** The SMS sender the settings describe (loadConfig has checked that a real provider has what it needs). */
export function smsFromConfig(config: Config, log: (line: string) => void): SmsSender {
  const templates = smsTemplates(config);
  if (config.SMS_PROVIDER === 'aliyun')
    return aliyunSms({
      accessKeyId: config.SMS_ACCESS_KEY_ID!,
      accessKeySecret: config.SMS_ACCESS_KEY_SECRET!,
      signName: config.SMS_SIGN_NAME!,
      templates,
      endpoint: config.SMS_ENDPOINT,
      regionId: config.SMS_REGION,
    });
  if (config.SMS_PROVIDER === 'tencent')
    return tencentSms({
      secretId: config.SMS_SECRET_ID!,
      secretKey: config.SMS_SECRET_KEY!,
      sdkAppId: config.SMS_SDK_APP_ID!,
      signName: config.SMS_SIGN_NAME!,
      templates,
      endpoint: config.SMS_ENDPOINT,
      region: config.SMS_REGION,
    });
  return logSms(log, { showCodes: config.WENMING_SEED === 'demo' });
}

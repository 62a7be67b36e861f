import { catalog } from '../../lib/i18n';

/** The frame of every notification email; the notification's own text goes in the middle. */
export const notificationStrings = catalog({
  en: {
    'email.greeting': 'Hello {name},',
    'email.open': 'Open it: {link}',
    'email.footer': 'You get this email because of your notification settings in Hearth (Profile → Reminders).',
  },
  'zh-CN': {
    'email.greeting': '{name}，您好：',
    'email.open': '打开查看：{link}',
    'email.footer': '您收到此邮件是因为您在 Hearth 中的通知设置（个人资料 → 提醒）。',
  },
});

/** Server-side strings (emails); the SPA has its own catalogs. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const messages = {
  en: {
    'invite.subject': '{inviter} invited you to {workspace} on Hearth',
    'invite.body':
      'Hello,\n\n{inviter} invited you to join {workspace} on Hearth as {role}.\n\nAccept the invitation: {link}\n\nThe link expires in 7 days.',
    'reset.subject': 'Reset your Hearth password',
    'reset.body':
      'Hello {name},\n\nSomeone (hopefully you) asked to reset your Hearth password.\n\nChoose a new password: {link}\n\nThe link works once and expires in 30 minutes. If you did not ask, ignore this email.',
    'role.owner': 'owner',
    'role.admin': 'administrator',
    'role.manager': 'manager',
    'role.rep': 'sales rep',
    'role.viewer': 'viewer',
  },
  'zh-CN': {
    'invite.subject': '{inviter} 邀请您加入 Hearth 上的 {workspace}',
    'invite.body': '您好：\n\n{inviter} 邀请您以{role}身份加入 Hearth 上的 {workspace}。\n\n接受邀请：{link}\n\n链接 7 天内有效。',
    'reset.subject': '重置您的 Hearth 密码',
    'reset.body':
      '{name}，您好：\n\n有人（希望是您本人）请求重置您的 Hearth 密码。\n\n设置新密码：{link}\n\n该链接只能使用一次，30 分钟内有效。如果不是您本人操作，请忽略此邮件。',
    'role.owner': '所有者',
    'role.admin': '管理员',
    'role.manager': '经理',
    'role.rep': '销售代表',
    'role.viewer': '只读成员',
  },
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof messages)['en'];

export function asLocale(value: string | null | undefined): Locale {
  return value === 'en' || value?.startsWith('en') ? 'en' : 'zh-CN';
}

const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);

export function t(locale: Locale, key: MessageKey, params: Record<string, string> = {}): string {
  return fill(messages[locale][key], params);
}

/**
 * A module's own server-side strings (emails, notifications), in both languages, checked to have
 * the same keys. Returns its translate function.
 */
export function catalog<K extends string>(strings: Record<Locale, Record<K, string>>) {
  return (locale: Locale, key: K, params: Record<string, string> = {}): string => fill(strings[locale][key], params);
}

import { catalog, type Locale } from '../../lib/i18n';

/** What reminders say, in the recipient's language. */
export const reminderStrings = catalog({
  en: {
    'task.title': 'Reminder: {title}',
    'task.due': 'Due {when}.',
    'task.dueDay': 'Due on {date}.',
    'task.snoozed': 'You asked to be reminded again.',
    'contract_ending.title': 'Contract with {name} ends on {date}',
    'deal_contract_ending.title': 'Contract of the deal {name} ends on {date}',
    'renewal.body': 'Time to talk about the renewal.',
    'no_contact.title': 'No contact with {name} for {days} days',
    'no_contact.body': 'Last contact: {date}.',
    'no_contact.never': 'Nobody has contacted them yet.',
    'birthday.title': '{name} has a birthday on {date}',
    'deal_idle.title': 'The deal {name} has been in {stage} for {days} days',
    'missed.title': '{count} reminders were missed while Hearth was offline',
    'missed.body': 'They are listed below, oldest first.',
    'digest.subject': 'Your reminders: {count}',
    'digest.intro': 'Here is what Hearth reminded you of since the last digest:',
  },
  'zh-CN': {
    'task.title': '提醒：{title}',
    'task.due': '截止时间 {when}。',
    'task.dueDay': '截止日期 {date}。',
    'task.snoozed': '您要求稍后再次提醒。',
    'contract_ending.title': '{name} 的合同将于 {date} 到期',
    'deal_contract_ending.title': '商机 {name} 的合同将于 {date} 到期',
    'renewal.body': '该谈续约了。',
    'no_contact.title': '已 {days} 天未联系 {name}',
    'no_contact.body': '上次联系：{date}。',
    'no_contact.never': '尚未联系过。',
    'birthday.title': '{name} 的生日在 {date}',
    'deal_idle.title': '商机 {name} 已在「{stage}」阶段停留 {days} 天',
    'missed.title': 'Hearth 离线期间错过了 {count} 条提醒',
    'missed.body': '以下按时间先后列出。',
    'digest.subject': '您的提醒：{count} 条',
    'digest.intro': '自上次汇总以来的提醒：',
  },
});

/** A local date and time in the reader's language and zone. */
export const formatWhen = (instant: string, locale: Locale, zone: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));

/** A calendar date (no zone: it is already local). */
export const formatDay = (date: string, locale: Locale) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${date}T00:00:00Z`));

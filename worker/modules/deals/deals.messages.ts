import { catalog } from '../../lib/i18n';

/** Server-side strings of the deals module (notifications and their emails). */
export const dealStrings = catalog({
  en: {
    'assigned.title': 'Deal assigned to you: {name}',
    'assigned.body': '{actor} assigned you the deal "{name}" ({stage}).',
    'bulk.title': '{count} deals assigned to you',
    'bulk.body': '{actor} assigned you {count} deals.',
    'someone': 'Hearth',
  },
  'zh-CN': {
    'assigned.title': '分配给您的商机：{name}',
    'assigned.body': '{actor} 将商机「{name}」（{stage}）分配给了您。',
    'bulk.title': '{count} 个商机已分配给您',
    'bulk.body': '{actor} 将 {count} 个商机分配给了您。',
    'someone': 'Hearth',
  },
});

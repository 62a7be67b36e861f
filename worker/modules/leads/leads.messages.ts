import { catalog } from '../../lib/i18n';

/** Server-side strings of lead capture: notifications and the acknowledgement email. */
export const leadStrings = catalog({
  en: {
    'assigned.title': 'New lead: {name}',
    'assigned.body': 'From {source}. Score {score}.',
    'created.title': 'A lead came in: {name}',
    'ack.subject': 'We received your message',
    'ack.body': 'Hello {name},\n\nThank you for contacting us through "{form}". We received your message and will get back to you soon.\n\n{message}',
    'timeline.subject': 'Form submitted: {form}',
  },
  'zh-CN': {
    'assigned.title': '新线索：{name}',
    'assigned.body': '来源：{source}。评分 {score}。',
    'created.title': '收到新线索：{name}',
    'ack.subject': '我们已收到您的信息',
    'ack.body': '{name}，您好：\n\n感谢您通过“{form}”联系我们。我们已收到您的信息，会尽快与您联系。\n\n{message}',
    'timeline.subject': '提交了表单：{form}',
  },
});

import { addMessages } from './index';
import { leadsEn } from './leads.en';
import { leadsZhCN } from './leads.zh-CN';

// Imported by the lead pages and the forms and webhooks settings: their strings load with them.
addMessages({ en: leadsEn, 'zh-CN': leadsZhCN });

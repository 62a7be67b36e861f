import { customersEn } from './customers.en';
import { customersZhCN } from './customers.zh-CN';
import { addMessages } from './index';

// Imported by the customer, company, product and custom field pages: their strings load with them.
addMessages({ en: customersEn, 'zh-CN': customersZhCN });

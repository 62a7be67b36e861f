// Word lists for the bench data generator: Chinese and English names, companies, notes.

/** Chinese surnames with rough frequency weights, and their pinyin (for email handles). */
export const CN_SURNAMES = [
  ['王', 'wang', 72], ['李', 'li', 70], ['张', 'zhang', 66], ['刘', 'liu', 53], ['陈', 'chen', 45], ['杨', 'yang', 31],
  ['黄', 'huang', 24], ['赵', 'zhao', 22], ['吴', 'wu', 21], ['周', 'zhou', 20], ['徐', 'xu', 16], ['孙', 'sun', 15],
  ['马', 'ma', 14], ['朱', 'zhu', 13], ['胡', 'hu', 12], ['郭', 'guo', 12], ['何', 'he', 11], ['高', 'gao', 11],
  ['林', 'lin', 11], ['罗', 'luo', 10], ['郑', 'zheng', 10], ['梁', 'liang', 9], ['谢', 'xie', 8], ['宋', 'song', 7],
  ['唐', 'tang', 7], ['许', 'xu', 7], ['韩', 'han', 6], ['冯', 'feng', 6], ['邓', 'deng', 6], ['曹', 'cao', 6],
  ['彭', 'peng', 5], ['曾', 'zeng', 5], ['肖', 'xiao', 5], ['田', 'tian', 5], ['董', 'dong', 5], ['袁', 'yuan', 4],
  ['潘', 'pan', 4], ['于', 'yu', 4], ['蒋', 'jiang', 4], ['蔡', 'cai', 4], ['余', 'yu', 4], ['杜', 'du', 4],
  ['叶', 'ye', 4], ['程', 'cheng', 4], ['苏', 'su', 4], ['魏', 'wei', 3], ['吕', 'lv', 3], ['丁', 'ding', 3],
  ['任', 'ren', 3], ['沈', 'shen', 3], ['欧阳', 'ouyang', 1], ['司马', 'sima', 0.3],
];

/** Single given-name characters (many names are surname + one of these: 王芳, 李伟, 张敏). */
export const CN_GIVEN_1 = [
  ['芳', 'fang'], ['伟', 'wei'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'],
  ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'],
  ['超', 'chao'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['桂', 'gui'], ['鹏', 'peng'], ['华', 'hua'], ['红', 'hong'],
  ['玲', 'ling'], ['斌', 'bin'], ['辉', 'hui'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin'], ['浩', 'hao'], ['宇', 'yu'],
];

/** Two-character given names (李秀英, 王建华). */
export const CN_GIVEN_2 = [
  ['秀英', 'xiuying'], ['桂英', 'guiying'], ['建华', 'jianhua'], ['建国', 'jianguo'], ['志强', 'zhiqiang'], ['永刚', 'yonggang'],
  ['丽娟', 'lijuan'], ['海燕', 'haiyan'], ['晓明', 'xiaoming'], ['子涵', 'zihan'], ['梓萱', 'zixuan'], ['浩然', 'haoran'],
  ['一诺', 'yinuo'], ['欣怡', 'xinyi'], ['思远', 'siyuan'], ['雨涵', 'yuhan'], ['俊杰', 'junjie'], ['文博', 'wenbo'],
  ['佳怡', 'jiayi'], ['天宇', 'tianyu'], ['明轩', 'mingxuan'], ['雅静', 'yajing'], ['志伟', 'zhiwei'], ['春梅', 'chunmei'],
  ['国庆', 'guoqing'], ['红梅', 'hongmei'], ['凤英', 'fengying'], ['玉兰', 'yulan'], ['立新', 'lixin'], ['嘉豪', 'jiahao'],
];

export const EN_FIRST = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy',
  'Anthony', 'Emily', 'Mark', 'Sophie', 'Oliver', 'Emma', 'Lucas', 'Olivia', 'Noah', 'Amelia', 'Ethan', 'Grace',
];

/** English surnames with rough frequency weights. */
export const EN_LAST = [
  ['Smith', 10], ['Johnson', 8], ['Williams', 7], ['Brown', 6], ['Jones', 6], ['Garcia', 5], ['Miller', 5], ['Davis', 5],
  ['Rodriguez', 4], ['Martinez', 4], ['Hernandez', 4], ['Lopez', 3], ['Wilson', 3], ['Anderson', 3], ['Thomas', 3],
  ['Taylor', 3], ['Moore', 3], ['Jackson', 3], ['Martin', 3], ['Lee', 3], ['Thompson', 2], ['White', 2], ['Harris', 2],
  ['Clark', 2], ['Lewis', 2], ['Robinson', 2], ['Walker', 2], ['Young', 2], ['Allen', 2], ['King', 2], ['Wright', 2],
  ['Scott', 2], ['Green', 2], ['Baker', 2], ['Adams', 2], ['Nelson', 2], ['Carter', 1], ['Mitchell', 1], ['Roberts', 1],
  ['Turner', 1], ['Phillips', 1], ['Campbell', 1], ['Parker', 1], ['Evans', 1], ['Edwards', 1], ['Collins', 1],
];

export const CN_CITIES = [
  ['上海市', '上海', 'shanghai'], ['北京市', '北京', 'beijing'], ['广东省', '广州', 'guangzhou'], ['广东省', '深圳', 'shenzhen'],
  ['浙江省', '杭州', 'hangzhou'], ['江苏省', '南京', 'nanjing'], ['江苏省', '苏州', 'suzhou'], ['四川省', '成都', 'chengdu'],
  ['湖北省', '武汉', 'wuhan'], ['陕西省', '西安', 'xian'], ['福建省', '厦门', 'xiamen'], ['山东省', '青岛', 'qingdao'],
  ['天津市', '天津', 'tianjin'], ['重庆市', '重庆', 'chongqing'], ['湖南省', '长沙', 'changsha'], ['浙江省', '宁波', 'ningbo'],
];
export const CN_DISTRICTS = ['浦东新区', '朝阳区', '天河区', '南山区', '西湖区', '鼓楼区', '武侯区', '江汉区', '雁塔区', '思明区', '市南区', '和平区'];
export const CN_STREETS = ['人民路', '中山路', '解放路', '建设路', '和平路', '新华路', '长江路', '科技园路', '滨江大道', '世纪大道'];

export const CN_COMPANY_WORDS = [
  ['恒通', 'hengtong'], ['华茂', 'huamao'], ['宏达', 'hongda'], ['鑫源', 'xinyuan'], ['瑞丰', 'ruifeng'], ['天成', 'tiancheng'],
  ['博远', 'boyuan'], ['金桥', 'jinqiao'], ['东方', 'dongfang'], ['嘉禾', 'jiahe'], ['盛世', 'shengshi'], ['新锐', 'xinrui'],
  ['长青', 'changqing'], ['汇丰', 'huifeng'], ['永信', 'yongxin'], ['云海', 'yunhai'], ['德邦', 'debang'], ['安泰', 'antai'],
  ['中联', 'zhonglian'], ['和润', 'herun'], ['万象', 'wanxiang'], ['星辰', 'xingchen'], ['绿源', 'lvyuan'], ['明德', 'mingde'],
];
export const CN_COMPANY_KINDS = [
  ['科技', 'tech', 'Software'], ['贸易', 'trade', 'Wholesale'], ['电子', 'elec', 'Electronics'], ['食品', 'food', 'Food & beverage'],
  ['服饰', 'fashion', 'Apparel'], ['物流', 'logistics', 'Logistics'], ['建材', 'build', 'Construction'], ['文化传媒', 'media', 'Media'],
  ['餐饮管理', 'catering', 'Hospitality'], ['医疗器械', 'med', 'Healthcare'], ['教育咨询', 'edu', 'Education'], ['茶业', 'tea', 'Retail'],
];
export const CN_COMPANY_SUFFIX = ['有限公司', '股份有限公司', '集团有限公司', '工作室', '商行'];

export const EN_COMPANY_WORDS = [
  'Northwind', 'Bluefield', 'Silverline', 'Redwood', 'Brightpath', 'Ironbridge', 'Summit', 'Harbor', 'Evergreen', 'Keystone',
  'Crescent', 'Pioneer', 'Atlas', 'Lakeside', 'Golden Gate', 'Maple', 'Orchard', 'Granite', 'Beacon', 'Cobalt',
];
export const EN_COMPANY_KINDS = [
  ['Trading', 'Wholesale'], ['Software', 'Software'], ['Logistics', 'Logistics'], ['Foods', 'Food & beverage'], ['Design', 'Media'],
  ['Health', 'Healthcare'], ['Outfitters', 'Apparel'], ['Labs', 'Software'], ['Imports', 'Wholesale'], ['Hospitality', 'Hospitality'],
];
export const EN_COMPANY_SUFFIX = ['Ltd', 'Inc.', 'LLC', 'Co.', 'Group'];
export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1000+'];

export const PRODUCTS = [
  ['龙井茶礼盒', 'Longjing tea gift box', 28800], ['紫砂茶具套装', 'Yixing clay tea set', 68800], ['普洱茶饼', 'Pu-erh tea cake', 19800],
  ['白茶礼盒', 'White tea gift box', 25800], ['铁观音', 'Tieguanyin oolong', 15800], ['茶盘', 'Tea tray', 32800],
  ['保温杯', 'Thermos cup', 12900], ['陶瓷茶杯', 'Porcelain cups (set of 6)', 9900], ['红茶', 'Black tea', 11800],
  ['茉莉花茶', 'Jasmine tea', 8800], ['企业定制礼盒', 'Corporate gift box', 128000], ['茶叶年卡', 'Tea subscription (year)', 198000],
  ['电热水壶', 'Electric kettle', 29900], ['茶宠摆件', 'Tea pet figurine', 6800], ['竹制茶具', 'Bamboo tea tools', 4800],
  ['储茶罐', 'Tea caddy', 7800], ['办公茶歇套餐', 'Office tea break pack', 58800], ['抹茶粉', 'Matcha powder', 13800],
];

export const TAGS = [
  ['VIP', '#d97706'], ['重点客户', '#dc2626'], ['经销商', '#2563eb'], ['老客户', '#16a34a'], ['潜在大客户', '#9333ea'],
  ['Newsletter', '#0891b2'], ['展会', '#ea580c'], ['线上', '#4f46e5'], ['企业采购', '#0d9488'], ['价格敏感', '#64748b'],
  ['投诉过', '#be123c'], ['推荐人', '#65a30d'], ['Wholesale', '#1d4ed8'], ['Export', '#7c3aed'], ['礼品', '#db2777'],
  ['年会', '#ca8a04'], ['复购', '#15803d'], ['沉睡客户', '#475569'], ['微信', '#22c55e'], ['Referral', '#0ea5e9'],
];

export const CN_NOTES = [
  '电话回访，客户对{p}很满意，计划下月追加订单。',
  '客户询问{p}的批发价格，已发送报价单。',
  '拜访客户办公室，介绍了新品{p}，对方反馈积极。',
  '客户反映上次收到的{p}包装破损，已安排补发。',
  '微信沟通：客户希望年底前采购一批{p}作为员工福利。',
  '客户投诉物流太慢，已协调仓库加急处理。',
  '约好下周二下午在{c}见面，讨论长期合作。',
  '客户生日，寄送了{p}作为礼物。',
  '跟进上次报价，客户表示预算还在审批中。',
  '客户推荐了朋友{n}，已加微信。',
  '展会上认识的客户，对{p}感兴趣，留下了名片。',
  '客户要求开具增值税专用发票，已转财务。',
];
export const EN_NOTES = [
  'Called {n}: happy with the {p}, plans to reorder next month.',
  'Sent a quote for 200 units of {p}; waiting for sign-off from finance.',
  'Visited their office in {c}, demoed the new {p}. Positive feedback.',
  'Complaint: the {p} arrived damaged. Replacement shipped.',
  'Follow-up email about the holiday gift order, they want samples of {p}.',
  'Meeting booked for Tuesday to discuss a long-term supply agreement.',
  'Left a voicemail about the renewal, will try again Thursday.',
  'Referred by {n}, interested in corporate gift boxes.',
  'Asked for net-60 payment terms; escalated to the sales manager.',
  'Met at the trade fair, took a catalogue and asked about {p}.',
];
export const CN_SUBJECTS = ['电话回访', '报价跟进', '上门拜访', '售后处理', '新品介绍', '合同沟通', '投诉处理', '节日问候'];
export const EN_SUBJECTS = ['Follow-up call', 'Quote follow-up', 'Site visit', 'After-sales', 'New product intro', 'Contract review', 'Complaint', 'Season greetings'];
export const CALL_OUTCOMES = ['connected', 'no_answer', 'voicemail', 'busy', 'callback_requested'];

export const CN_EMAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com', 'aliyun.com'];
export const EN_EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com'];
export const US_AREA_CODES = ['212', '213', '305', '312', '415', '503', '617', '646', '702', '713', '206', '404'];
export const CN_MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '166', '176', '177', '180', '181', '185', '186', '187', '188', '189', '199'];

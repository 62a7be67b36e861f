#!/usr/bin/env node
// Deterministic bench data for Hearth: one workspace with users and teams, companies, contacts
// (Chinese and English names, +86 and US phones, emails, owners, tags, lifecycle, consent),
// activities with Chinese/English notes, orders with items, tickets.
//
// It writes straight into the SQLite file that `wrangler dev --persist-to <dir>` uses for the
// local D1 (after `wrangler d1 migrations apply DB --local --persist-to <dir>` created it), with
// node:sqlite in big transactions. The FTS triggers fire on insert, so search docs are built too.
// Datasets are cached under bench/.data/<size>-<hash>/, the hash covering the migrations and this
// generator, so a re-run reuses them.
//
//   node bench/generate.mjs --size 12k|100k [--force]      (Node 22: `npm run bench` uses it)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as W from './data.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const dataRoot = join(root, 'bench', '.data');

export const SIZES = {
  '1k': { contacts: 1_000 },
  '12k': { contacts: 12_000 },
  '100k': { contacts: 100_000 },
};

export const BENCH_PASSWORD = 'bench-password-2026';
const NOW = Date.parse('2026-11-01T00:00:00.000Z');
const DAY = 86_400_000;

// ── deterministic randomness ─────────────────────────────────────────────────────────────────
function rng(seedText) {
  const h = createHash('sha256').update(seedText).digest();
  let a = h.readUInt32LE(0), b = h.readUInt32LE(4), c = h.readUInt32LE(8), d = h.readUInt32LE(12);
  return () => {
    // sfc32
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(seed) {
    this.r = rng(seed);
  }
  float() {
    return this.r();
  }
  int(min, max) {
    return min + Math.floor(this.r() * (max - min + 1));
  }
  chance(p) {
    return this.r() < p;
  }
  pick(list) {
    return list[Math.floor(this.r() * list.length)];
  }
  weighted(list, weightOf) {
    const total = list.reduce((s, x) => s + weightOf(x), 0);
    let x = this.r() * total;
    for (const item of list) {
      x -= weightOf(item);
      if (x <= 0) return item;
    }
    return list[list.length - 1];
  }
  digits(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.r() * 10);
    return s;
  }
  /** A geometric-ish count with the given mean, capped. */
  count(mean, max) {
    let n = 0;
    const p = 1 / (mean + 1);
    while (n < max && this.r() > p) n++;
    return n;
  }
  /** ULID-like id in the app's format (`con_` + 10 time chars + 16 random chars). */
  id(prefix, time) {
    const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let t = time, head = '', tail = '';
    for (let i = 0; i < 10; i++) {
      head = A[t % 32] + head;
      t = Math.floor(t / 32);
    }
    for (let i = 0; i < 16; i++) tail += A[Math.floor(this.r() * 32)];
    return `${prefix}_${head}${tail}`;
  }
}

const iso = (ms) => new Date(ms).toISOString();

// ── dataset cache ────────────────────────────────────────────────────────────────────────────
function datasetHash() {
  const h = createHash('sha256');
  const migrations = join(root, 'migrations');
  for (const f of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) h.update(f).update(readFileSync(join(migrations, f)));
  for (const f of ['generate.mjs', 'data.mjs']) h.update(readFileSync(join(root, 'bench', f)));
  return h.digest('hex').slice(0, 10);
}

export function wrangler(args, opts = {}) {
  const bin = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' }, ...opts });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The D1 SQLite file inside a `--persist-to` directory. */
export function d1File(persistDir) {
  const dir = join(persistDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`expected one .sqlite file in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}

/** Generates (or reuses) the dataset of a size; returns its directory, SQLite file and meta. */
export async function ensureDataset(size, { force = false, log = console.log } = {}) {
  if (!SIZES[size]) throw new Error(`unknown size ${size}; use one of ${Object.keys(SIZES).join(', ')}`);
  const hash = datasetHash();
  const dir = join(dataRoot, `${size}-${hash}`);
  const metaFile = join(dir, 'meta.json');
  if (!force && existsSync(metaFile)) {
    log(`• reusing the ${size} dataset (${dir.replace(root + '/', '')})`);
    return { dir, persist: join(dir, 'persist'), sqlite: d1File(join(dir, 'persist')), meta: JSON.parse(readFileSync(metaFile, 'utf8')) };
  }
  mkdirSync(dataRoot, { recursive: true });
  // Older datasets of this size (other migrations or generator) are dropped: they are large.
  for (const old of readdirSync(dataRoot)) if (old.startsWith(`${size}-`)) rmSync(join(dataRoot, old), { recursive: true, force: true });
  const tmp = join(dataRoot, `.tmp-${size}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const persist = join(tmp, 'persist');
  log(`• generating the ${size} dataset: applying migrations to a fresh local D1`);
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
  const started = Date.now();
  const meta = await generate(d1File(persist), size, log);
  meta.seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2));
  renameSync(tmp, dir);
  log(`• generated in ${meta.seconds} s: ${Object.entries(meta.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return { dir, persist: join(dir, 'persist'), sqlite: d1File(join(dir, 'persist')), meta };
}

// ── generation ───────────────────────────────────────────────────────────────────────────────
async function generate(file, size, log) {
  const { DatabaseSync } = await import('node:sqlite');
  const { hashPassword } = await import('../worker/lib/crypto.ts');
  const g = new Gen(`hearth-bench-${size}`);
  const nContacts = SIZES[size].contacts;
  const db = new DatabaseSync(file);
  db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');

  const insert = (table, columns) => {
    const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    return (row) => stmt.run(...columns.map((c) => (row[c] === undefined ? null : typeof row[c] === 'boolean' ? Number(row[c]) : row[c])));
  };
  const ins = {
    workspace: insert('workspaces', ['id', 'name', 'currency', 'timezone', 'locale', 'default_country', 'version', 'created_at', 'updated_at']),
    user: insert('users', ['id', 'workspace_id', 'email', 'name', 'password_hash', 'role', 'team_id', 'locale', 'timezone', 'is_active', 'version', 'created_at', 'updated_at']),
    team: insert('teams', ['id', 'workspace_id', 'name', 'manager_id', 'version', 'created_at', 'updated_at']),
    tag: insert('tags', ['id', 'workspace_id', 'name', 'color', 'created_at']),
    product: insert('products', ['id', 'workspace_id', 'name', 'sku', 'series', 'unit_price', 'currency', 'is_active', 'version', 'created_at', 'updated_at']),
    company: insert('companies', ['id', 'workspace_id', 'name', 'industry', 'size', 'website', 'domain', 'phones', 'address', 'owner_id', 'custom_fields', 'created_by', 'version', 'created_at', 'updated_at']),
    contact: insert('contacts', [
      'id', 'workspace_id', 'name', 'given_name', 'family_name', 'gender', 'title', 'birthday', 'company_id', 'emails', 'phones', 'address', 'source', 'lifecycle',
      'email_consent', 'sms_consent', 'total_spent', 'order_count', 'first_purchase_at', 'last_purchase_at', 'rfm_score', 'rfm_segment', 'last_contacted_at',
      'owner_id', 'custom_fields', 'archived_at', 'deleted_at', 'created_by', 'version', 'created_at', 'updated_at',
    ]),
    channel: insert('contact_channels', ['workspace_id', 'kind', 'value', 'contact_id']),
    recordTag: insert('record_tags', ['workspace_id', 'tag_id', 'record_type', 'record_id']),
    consent: insert('consent_events', ['id', 'workspace_id', 'contact_id', 'channel', 'granted', 'source', 'actor_type', 'actor_id', 'occurred_at']),
    activity: insert('activities', ['id', 'workspace_id', 'type', 'contact_id', 'company_id', 'subject', 'body', 'outcome', 'occurred_at', 'user_id', 'created_at', 'updated_at']),
    order: insert('orders', ['id', 'workspace_id', 'contact_id', 'company_id', 'number', 'status', 'ordered_at', 'currency', 'total', 'note', 'created_by', 'version', 'created_at', 'updated_at']),
    item: insert('order_items', ['id', 'order_id', 'product_id', 'name', 'quantity', 'unit_price']),
    ticket: insert('tickets', ['id', 'workspace_id', 'contact_id', 'company_id', 'kind', 'subject', 'description', 'status', 'priority', 'resolution', 'owner_id', 'opened_at', 'resolved_at', 'version', 'created_at', 'updated_at']),
  };
  const counts = { contacts: 0, companies: 0, activities: 0, orders: 0, orderItems: 0, tickets: 0, channels: 0, recordTags: 0 };

  db.exec('BEGIN');
  // Workspace, teams and users. One password hash (the app's scrypt format) serves every user.
  const t0 = NOW - 3 * 365 * DAY;
  const wsId = g.id('wsp', t0);
  ins.workspace({ id: wsId, name: '华茂茶业 Bench', currency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN', default_country: 'CN', version: 1, created_at: iso(t0), updated_at: iso(t0) });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users = [];
  const addUser = (email, name, role, teamId = null, locale = 'zh-CN') => {
    const u = { id: g.id('usr', t0 + users.length * 1000), workspace_id: wsId, email, name, password_hash: passwordHash, role, team_id: teamId, locale, timezone: 'Asia/Shanghai', is_active: 1, version: 1, created_at: iso(t0), updated_at: iso(t0) };
    users.push(u);
    return u;
  };
  const owner = addUser('owner@bench.hearth.test', '陈老板', 'owner');
  addUser('admin@bench.hearth.test', 'Alice Admin', 'admin', null, 'en');
  addUser('viewer@bench.hearth.test', '只读 Viewer', 'viewer');
  const teamDefs = [
    ['华东销售', '周经理', ['王小明', '李娜', '张伟', 'Tom Baker']],
    ['华南销售', '黄经理', ['刘洋', '陈静', '杨磊']],
    ['International', 'Grace Lee', ['Daniel Wright', 'Sophie Martin']],
  ];
  const teams = [];
  const reps = [];
  const managers = [];
  teamDefs.forEach(([teamName, managerName, repNames], ti) => {
    const teamId = g.id('team', t0 + ti);
    const manager = addUser(`manager${ti + 1}@bench.hearth.test`, managerName, 'manager', teamId, ti === 2 ? 'en' : 'zh-CN');
    managers.push(manager);
    teams.push({ id: teamId, workspace_id: wsId, name: teamName, manager_id: manager.id, version: 1, created_at: iso(t0), updated_at: iso(t0) });
    repNames.forEach((n, ri) => reps.push(addUser(`rep${ti + 1}${ri + 1}@bench.hearth.test`, n, 'rep', teamId, /^[A-Z]/.test(n) ? 'en' : 'zh-CN')));
  });
  teams.forEach(ins.team);
  users.forEach(ins.user);

  const tags = W.TAGS.map(([name, color], i) => ({ id: g.id('tag', t0 + i), workspace_id: wsId, name, color, created_at: iso(t0) }));
  tags.forEach(ins.tag);
  const tagWeights = tags.map((_, i) => 1 / (i + 2)); // a few popular tags, a long tail
  const products = W.PRODUCTS.map(([zh, en, price], i) => ({ id: g.id('prd', t0 + i), workspace_id: wsId, name: `${zh} ${en}`, sku: `SKU-${1000 + i}`, series: i < 10 ? '茶' : '器', unit_price: price, currency: 'CNY', is_active: 1, version: 1, created_at: iso(t0), updated_at: iso(t0) }));
  products.forEach(ins.product);

  // Companies: about one per twelve contacts, Chinese and English.
  const companies = [];
  const domains = new Set();
  const nCompanies = Math.max(20, Math.round(nContacts / 12));
  for (let i = 0; i < nCompanies; i++) {
    const chinese = g.chance(0.7);
    const created = t0 + g.int(0, 900) * DAY;
    const city = g.pick(W.CN_CITIES);
    let name, industry, domain;
    if (chinese) {
      const [word, py] = g.pick(W.CN_COMPANY_WORDS);
      const [kind, kpy, ind] = g.pick(W.CN_COMPANY_KINDS);
      name = `${city[1]}${word}${kind}${g.pick(W.CN_COMPANY_SUFFIX)}`;
      industry = ind;
      domain = `${py}${kpy}.${g.pick(['com.cn', 'cn', 'com'])}`;
    } else {
      const word = g.pick(W.EN_COMPANY_WORDS);
      const [kind, ind] = g.pick(W.EN_COMPANY_KINDS);
      name = `${word} ${kind} ${g.pick(W.EN_COMPANY_SUFFIX)}`;
      industry = ind;
      domain = `${word.toLowerCase().replace(/\s+/g, '')}${kind.toLowerCase()}.com`;
    }
    let n = 2;
    const base = domain;
    while (domains.has(domain)) domain = base.replace('.', `${n++}.`);
    domains.add(domain);
    const c = {
      id: g.id('com', created), workspace_id: wsId, name, industry, size: g.pick(W.COMPANY_SIZES), website: `https://www.${domain}`, domain,
      phones: JSON.stringify([chinese ? `+86${g.pick(['21', '10', '20', '755', '571'])}${g.digits(8)}` : `+1${g.pick(W.US_AREA_CODES)}${g.int(2, 9)}${g.digits(6)}`]),
      address: JSON.stringify(chinese ? { country: 'CN', province: city[0], city: city[1], street: `${g.pick(W.CN_STREETS)}${g.int(1, 999)}号` } : { country: 'US', city: g.pick(['New York', 'San Francisco', 'Chicago', 'Seattle', 'Boston']) }),
      owner_id: g.pick(reps).id, custom_fields: '{}', created_by: owner.id, version: 1, created_at: iso(created), updated_at: iso(created + g.int(0, 300) * DAY),
      chinese,
    };
    companies.push(c);
    ins.company(c);
  }
  counts.companies = companies.length;
  const cnCompanies = companies.filter((c) => c.chinese);
  const enCompanies = companies.filter((c) => !c.chinese);

  const lifecycles = [['lead', 30], ['prospect', 20], ['customer', 38], ['churned', 10], ['other', 2]];
  const sources = [['manual', 30], ['form', 20], ['import', 25], ['api', 5], ['referral', 8], ['event', 7], ['social', 5]];
  const activityTypes = [['note', 35], ['call', 30], ['email', 15], ['meeting', 8], ['visit', 7], ['complaint', 5]];
  const sample = { contactIds: [], chineseNames: new Map(), englishSurnames: new Map() };

  const chineseName = () => {
    const [sur, spy] = g.weighted(W.CN_SURNAMES, (x) => x[2]);
    const [given, gpy] = g.chance(0.45) ? g.pick(W.CN_GIVEN_1) : g.pick(W.CN_GIVEN_2);
    return { name: `${sur}${given}`, family: sur, given, handle: `${spy}${gpy}` };
  };
  const englishName = () => {
    const first = g.pick(W.EN_FIRST);
    const [last] = g.weighted(W.EN_LAST, (x) => x[1]);
    return { name: `${first} ${last}`, family: last, given: first, handle: `${first}.${last}`.toLowerCase() };
  };
  const cnMobile = () => `+86${g.pick(W.CN_MOBILE_PREFIXES)}${g.digits(8)}`;
  const usPhone = () => `+1${g.pick(W.US_AREA_CODES)}${g.int(2, 9)}${g.digits(6)}`;
  const rfm = (lastPurchase, orders, total) => {
    const days = (NOW - lastPurchase) / DAY;
    const r = days < 30 ? 5 : days < 90 ? 4 : days < 180 ? 3 : days < 365 ? 2 : 1;
    const f = orders >= 8 ? 5 : orders >= 5 ? 4 : orders >= 3 ? 3 : orders >= 2 ? 2 : 1;
    const m = total >= 500000 ? 5 : total >= 200000 ? 4 : total >= 80000 ? 3 : total >= 30000 ? 2 : 1;
    const segment = r >= 4 && f >= 4 ? 'champions' : f >= 4 ? 'loyal' : f === 1 && r >= 4 ? 'new' : r >= 3 ? 'potential' : r <= 2 && f >= 3 ? 'at_risk' : r === 2 ? 'hibernating' : 'lost';
    return { score: `${r}${f}${m}`, segment };
  };

  const BATCH = 5000;
  const started = Date.now();
  for (let i = 0; i < nContacts; i++) {
    if (i > 0 && i % BATCH === 0) {
      db.exec('COMMIT');
      db.exec('BEGIN');
      if (i % (BATCH * 4) === 0) log(`  … ${i} contacts (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    const chinese = g.chance(0.7);
    const person = chinese ? chineseName() : englishName();
    const created = t0 + Math.floor(g.float() * (NOW - t0 - DAY));
    const lifecycle = g.weighted(lifecycles, (x) => x[1])[0];
    const pool = g.chance(0.85) ? (chinese ? cnCompanies : enCompanies) : companies;
    const comp = g.chance(0.65) && pool.length ? g.pick(pool) : null;
    const ownerUser = lifecycle === 'lead' && g.chance(0.3) ? null : g.chance(0.9) ? g.pick(reps) : g.pick(managers);
    const city = g.pick(W.CN_CITIES);

    const emails = [];
    if (g.chance(0.8)) {
      const domain = comp && g.chance(0.4) ? comp.domain : g.pick(chinese ? W.CN_EMAIL_DOMAINS : W.EN_EMAIL_DOMAINS);
      emails.push(`${person.handle}${g.chance(0.6) ? g.int(1, 9999) : ''}@${domain}`);
      if (g.chance(0.15)) emails.push(`${person.handle.replace('.', '')}${g.int(10, 99)}@${g.pick(W.EN_EMAIL_DOMAINS)}`);
    }
    const phones = [];
    if (g.chance(0.92)) phones.push(chinese || g.chance(0.4) ? cnMobile() : usPhone());
    if (g.chance(0.2)) phones.push(chinese ? cnMobile() : usPhone());
    const uniqueEmails = [...new Set(emails)];
    const uniquePhones = [...new Set(phones)];

    const contactId = g.id('con', created);
    const actor = ownerUser ?? g.pick(reps);

    // Orders first: the contact's derived figures come from them.
    const orderRows = [];
    const nOrders = lifecycle === 'customer' ? 1 + g.count(8, 40) : lifecycle === 'churned' ? 1 + g.count(2, 10) : 0;
    for (let o = 0; o < nOrders; o++) {
      const latest = lifecycle === 'churned' ? NOW - 400 * DAY : NOW - DAY;
      const at = created + Math.floor(g.float() * Math.max(DAY, latest - created));
      const items = [];
      const nItems = g.chance(0.6) ? 1 : 2;
      for (let k = 0; k < nItems; k++) {
        const p = g.pick(products);
        items.push({ product: p, quantity: g.chance(0.9) ? g.int(1, 3) : g.int(4, 20) });
      }
      const total = items.reduce((s, it) => s + it.quantity * it.product.unit_price, 0);
      const status = g.weighted([['paid', 55], ['fulfilled', 35], ['cancelled', 5], ['refunded', 5]], (x) => x[1])[0];
      orderRows.push({ at, items, total, status });
    }
    orderRows.sort((a, b) => a.at - b.at);
    const counted = orderRows.filter((o) => o.status === 'paid' || o.status === 'fulfilled');
    const totalSpent = counted.reduce((s, o) => s + o.total, 0);
    const firstPurchase = counted[0]?.at ?? null;
    const lastPurchase = counted.at(-1)?.at ?? null;
    const score = counted.length ? rfm(lastPurchase, counted.length, totalSpent) : null;

    const activityRows = [];
    const nActivities = g.count(6, 60);
    for (let a = 0; a < nActivities; a++) {
      const type = g.weighted(activityTypes, (x) => x[1])[0];
      const at = created + Math.floor(g.float() * (NOW - created));
      const fill = (t) => t.replace('{p}', g.pick(W.PRODUCTS)[chinese ? 0 : 1]).replace('{c}', chinese ? city[1] : g.pick(['Shanghai', 'Shenzhen', 'Boston', 'Seattle'])).replace('{n}', (chinese ? chineseName() : englishName()).name);
      const body = type === 'call' && g.chance(0.5) ? null : fill(g.pick(chinese ? W.CN_NOTES : W.EN_NOTES));
      const subject = type === 'complaint' ? (chinese ? '投诉处理' : 'Complaint') : g.pick(chinese ? W.CN_SUBJECTS : W.EN_SUBJECTS);
      activityRows.push({ type, at, subject, body, outcome: type === 'call' ? g.pick(W.CALL_OUTCOMES) : null });
    }
    const lastContacted = activityRows.length ? Math.max(...activityRows.map((a) => a.at)) : null;
    const updated = Math.max(created, Math.min(NOW - 1000, created + Math.floor(g.float() * (NOW - created))), lastPurchase ?? 0);
    const emailConsent = g.chance(0.4) ? JSON.stringify({ granted: g.chance(0.8), at: iso(created), source: 'form' }) : null;
    const smsConsent = g.chance(0.2) ? JSON.stringify({ granted: g.chance(0.7), at: iso(created), source: 'form' }) : null;
    const archived = g.chance(0.01) ? iso(updated) : null;
    const deleted = !archived && g.chance(0.005) ? iso(updated) : null;

    ins.contact({
      id: contactId, workspace_id: wsId, name: person.name, given_name: person.given, family_name: person.family,
      gender: g.pick(['female', 'male', null, 'unknown']), title: g.chance(0.5) ? g.pick(chinese ? ['总经理', '采购经理', '行政主管', '店长', '财务'] : ['CEO', 'Buyer', 'Office Manager', 'Owner', 'Procurement Lead']) : null,
      birthday: g.chance(0.3) ? `${g.int(1960, 2002)}-${String(g.int(1, 12)).padStart(2, '0')}-${String(g.int(1, 28)).padStart(2, '0')}` : null,
      company_id: comp?.id ?? null, emails: JSON.stringify(uniqueEmails), phones: JSON.stringify(uniquePhones),
      address: JSON.stringify(chinese ? { country: 'CN', province: city[0], city: city[1], district: g.pick(W.CN_DISTRICTS), street: `${g.pick(W.CN_STREETS)}${g.int(1, 999)}号`, postcode: g.digits(6) } : { country: g.pick(['US', 'GB', 'CN']), city: g.pick(['New York', 'London', 'Shanghai', 'Austin']) }),
      source: g.weighted(sources, (x) => x[1])[0], lifecycle, email_consent: emailConsent, sms_consent: smsConsent,
      total_spent: totalSpent, order_count: counted.length, first_purchase_at: firstPurchase ? iso(firstPurchase) : null, last_purchase_at: lastPurchase ? iso(lastPurchase) : null,
      rfm_score: score?.score ?? null, rfm_segment: score?.segment ?? 'none', last_contacted_at: lastContacted ? iso(lastContacted) : null,
      owner_id: ownerUser?.id ?? null, custom_fields: '{}', archived_at: archived, deleted_at: deleted, created_by: actor.id, version: 1 + g.int(0, 3), created_at: iso(created), updated_at: iso(updated),
    });
    counts.contacts++;
    for (const value of uniqueEmails) ins.channel({ workspace_id: wsId, kind: 'email', value, contact_id: contactId });
    for (const value of uniquePhones) ins.channel({ workspace_id: wsId, kind: 'phone', value, contact_id: contactId });
    counts.channels += uniqueEmails.length + uniquePhones.length;
    const tagSet = new Set();
    const nTags = g.weighted([[0, 35], [1, 35], [2, 20], [3, 10]], (x) => x[1])[0];
    while (tagSet.size < nTags) tagSet.add(g.weighted(tags.map((t, k) => [t, tagWeights[k]]), (x) => x[1])[0]);
    for (const t of tagSet) ins.recordTag({ workspace_id: wsId, tag_id: t.id, record_type: 'contact', record_id: contactId });
    counts.recordTags += tagSet.size;
    if (emailConsent) {
      const c = JSON.parse(emailConsent);
      ins.consent({ id: g.id('cev', created), workspace_id: wsId, contact_id: contactId, channel: 'email', granted: c.granted ? 1 : 0, source: 'form', actor_type: 'user', actor_id: actor.id, occurred_at: c.at });
    }

    for (const a of activityRows) {
      ins.activity({ id: g.id('act', a.at), workspace_id: wsId, type: a.type, contact_id: contactId, company_id: comp?.id ?? null, subject: a.subject, body: a.body, outcome: a.outcome, occurred_at: iso(a.at), user_id: actor.id, created_at: iso(a.at), updated_at: iso(a.at) });
    }
    counts.activities += activityRows.length;
    for (const o of orderRows) {
      const orderId = g.id('ord', o.at);
      ins.order({ id: orderId, workspace_id: wsId, contact_id: contactId, company_id: comp?.id ?? null, number: `SO${new Date(o.at).toISOString().slice(2, 10).replace(/-/g, '')}${g.digits(5)}`, status: o.status, ordered_at: iso(o.at), currency: 'CNY', total: o.total, note: null, created_by: actor.id, version: 1, created_at: iso(o.at), updated_at: iso(o.at) });
      for (const it of o.items) ins.item({ id: g.id('itm', o.at), order_id: orderId, product_id: it.product.id, name: it.product.name, quantity: it.quantity, unit_price: it.product.unit_price });
      counts.orderItems += o.items.length;
    }
    counts.orders += orderRows.length;
    if (g.chance(0.03)) {
      const opened = created + Math.floor(g.float() * (NOW - created));
      const resolved = g.chance(0.7) ? opened + g.int(1, 20) * DAY : null;
      ins.ticket({
        id: g.id('tkt', opened), workspace_id: wsId, contact_id: contactId, company_id: comp?.id ?? null, kind: g.chance(0.6) ? 'complaint' : 'request',
        subject: chinese ? g.pick(['包装破损', '发货延迟', '发票问题', '质量问题']) : g.pick(['Damaged parcel', 'Late delivery', 'Invoice question', 'Quality issue']),
        description: null, status: resolved ? 'resolved' : g.pick(['open', 'pending']), priority: g.pick(['low', 'normal', 'normal', 'high', 'urgent']),
        resolution: resolved ? (chinese ? '已补发' : 'Replacement sent') : null, owner_id: actor.id, opened_at: iso(opened), resolved_at: resolved ? iso(Math.min(resolved, NOW)) : null,
        version: 1, created_at: iso(opened), updated_at: iso(opened),
      });
      counts.tickets++;
    }

    if (!archived && !deleted) {
      if (sample.contactIds.length < 400 && g.chance(0.05)) sample.contactIds.push(contactId);
      if (chinese && [...person.name].length === 2) sample.chineseNames.set(person.name, (sample.chineseNames.get(person.name) ?? 0) + 1);
      if (!chinese) sample.englishSurnames.set(person.family, (sample.englishSurnames.get(person.family) ?? 0) + 1);
    }
  }
  db.exec('COMMIT');
  log('  … checkpointing');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const searchDocs = db.prepare('select count(*) as n from search_docs').get().n;
  db.close();

  const vip = tags.find((t) => t.name === 'VIP');
  return {
    size,
    workspaceId: wsId,
    password: BENCH_PASSWORD,
    users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, teamId: u.team_id })),
    tags: Object.fromEntries(tags.map((t) => [t.name, t.id])),
    vipTagId: vip.id,
    sample: {
      contactIds: sample.contactIds,
      wangFang: sample.chineseNames.get('王芳') ?? 0,
      smith: sample.englishSurnames.get('Smith') ?? 0,
    },
    counts: { ...counts, searchDocs },
  };
}

// ── CLI ──────────────────────────────────────────────────────────────────────────────────────
if (import.meta.url === `file://${process.argv[1]}` && Number(process.versions.node.split('.')[0]) < 22) {
  // The project's Node 22 (node:sqlite, wrangler 4) even when started with an older `node`.
  const node22 = join(root, 'node_modules', 'node', 'bin', 'node');
  process.exit(spawnSync(node22, process.argv.slice(1), { stdio: 'inherit' }).status ?? 1);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const size = args[args.indexOf('--size') + 1] && args.includes('--size') ? args[args.indexOf('--size') + 1] : '12k';
  const result = await ensureDataset(size, { force: args.includes('--force') });
  console.log(JSON.stringify({ dir: result.dir, sqlite: result.sqlite, counts: result.meta.counts, sample: { ...result.meta.sample, contactIds: result.meta.sample.contactIds.length } }, null, 2));
}

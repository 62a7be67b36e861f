import Papa from 'papaparse';
import { AppError, invalid, type FieldError } from '../../lib/errors';

/**
 * The Maven CRM sample (samples/maven-crm/) read and cleaned, without touching a database: what
 * becomes users, teams, companies, products and deals, and every row that needed a decision.
 * Pure, so the loader, the command and the tests all see the same cleaning.
 */

export const MAVEN_FILES = ['accounts', 'products', 'sales_teams', 'sales_pipeline'] as const;
export type MavenFile = (typeof MAVEN_FILES)[number];
export type MavenFiles = Record<MavenFile, string>;

const COLUMNS: Record<MavenFile, string[]> = {
  accounts: ['account', 'sector', 'year_established', 'revenue', 'employees', 'office_location', 'subsidiary_of'],
  products: ['product', 'series', 'sales_price'],
  sales_teams: ['sales_agent', 'manager', 'regional_office'],
  sales_pipeline: ['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'],
};

export const MAVEN_STAGES = ['Prospecting', 'Engaging', 'Won', 'Lost'] as const;
export type MavenStage = (typeof MAVEN_STAGES)[number];

/**
 * Why a row needed a decision, and the decision (the summary states it once; each report row
 * carries only its own outcome, e.g. the corrected value).
 */
export const RULES = {
  product_renamed: 'Read as the catalog product whose name matches ignoring spaces and case.',
  sector_misspelt: 'Corrected the spelling of the sector (the company industry).',
  country_misspelt: 'Corrected the spelling of the country (the company address).',
  no_account: 'Kept the open deal, without a customer.',
  no_amount: "Kept the open deal; its amount is its product's list price (its one line item), as for any deal created with items and no amount.",
  no_engage_date: 'Created the deal in Prospecting on the last date of the data set (it has no date of its own), or on its close date if earlier.',
  no_close_date: 'Kept the open deal; its expected close date is its engage (or creation) date plus the median days from engage to win in the data.',
  lost_no_reason: 'The lost reason (required in the app) reads "Not recorded in the sample data".',
  no_team: 'Created the agent without a team (no manager named).',
  skipped: 'Row not loaded.',
} as const;
export type Rule = keyof typeof RULES;

export type ReportRow = { file: MavenFile; line: number; id: string; field: string; value: string; rule: Rule; decision: string };
export type ReportSummary = { rule: Rule; file: MavenFile; field: string; value: string; decision: string; rows: number };

export type MavenTeam = { name: string; region: string; manager: string };
export type MavenPerson = { name: string; role: 'manager' | 'rep'; team: string | null };
export type MavenCompany = {
  name: string;
  industry: string | null;
  size: string | null;
  country: string | null;
  yearEstablished: number | null;
  revenueMusd: number | null;
  employees: number | null;
  parent: string | null;
};
export type MavenProduct = { name: string; series: string | null; unitPrice: number };
export type MavenDeal = {
  line: number;
  opportunityId: string;
  agent: string;
  product: string;
  account: string | null;
  stage: MavenStage;
  /** YYYY-MM-DD: created in Prospecting. */
  createdOn: string;
  engagedOn: string | null;
  closedOn: string | null;
  /** The close date of a closed deal; an estimate for an open one (reported). */
  expectedCloseOn: string;
  /** Minor units (cents). */
  amount: number;
  lostReason: string | null;
};

export type MavenPlan = {
  /** The last date in the data (after any shift): the fallback creation date. */
  lastDate: string;
  /** Whole months every date of the data was moved by (0: the dates of the files). */
  shiftMonths: number;
  /** Median days from engage to win, used for the expected close of open deals. */
  medianDaysToWin: number;
  teams: MavenTeam[];
  people: MavenPerson[];
  companies: MavenCompany[];
  products: MavenProduct[];
  deals: MavenDeal[];
  report: { summary: ReportSummary[]; rows: ReportRow[] };
};

export const LOST_REASON = 'Not recorded in the sample data';
const SECTOR_FIXES: Record<string, string> = { technolgy: 'technology' };
const COUNTRY_FIXES: Record<string, string> = { Philipines: 'Philippines' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Row = Record<string, string> & { __line: number };

/** Parses one file; 422 naming `files.<name>` when it is not the CSV we expect. */
function parseFile(name: MavenFile, text: string): Row[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  const missing = COLUMNS[name].filter((c) => !fields.includes(c));
  const errors: FieldError[] = [];
  if (missing.length) errors.push({ field: `files.${name}`, message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`, code: 'missing_columns' });
  else if (parsed.data.length === 0) errors.push({ field: `files.${name}`, message: 'The file has no rows.', code: 'empty' });
  if (errors.length) throw invalid(errors, `${name}.csv is not the file we expect.`);
  // Line numbers as in the file (header = line 1); papaparse skipped blank lines, so count them back.
  const lines: number[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((l, i) => {
    if (i > 0 && l.trim() !== '') lines.push(i + 1);
  });
  return parsed.data.map((r, i) => {
    const row: Row = { __line: lines[i] ?? i + 2 } as Row;
    for (const c of COLUMNS[name]) row[c] = (r[c] ?? '').trim();
    return row;
  });
}

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

function numberOrNull(value: string): number | null {
  if (value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function companySize(employees: number | null): string | null {
  if (employees === null) return null;
  if (employees <= 10) return '1-10';
  if (employees <= 50) return '11-50';
  if (employees <= 200) return '51-200';
  if (employees <= 500) return '201-500';
  if (employees <= 1000) return '501-1000';
  return '1000+';
}

const validDate = (d: string) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** A day moved by whole months, clamped to the end of a shorter month (Jan 31 + 1 → Feb 28). */
export function shiftDay(day: string, months: number): string {
  if (!months) return day;
  const index = monthIndex(day) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const d = Math.min(Number(day.slice(8, 10)), last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Reads, checks and cleans the four files. `endBy` (YYYY-MM-DD, e.g. today) moves every date of
 * the data forward by whole months, as many as keep its last date on or before that day (the demo:
 * a pipeline of today, not of 2017, and nothing won in the future); months map one to one, so
 * monthly figures keep their values.
 */
export function planMaven(files: MavenFiles, options: { endBy?: string } = {}): MavenPlan {
  const errors: FieldError[] = [];
  const rowsOf = {} as Record<MavenFile, Row[]>;
  for (const name of MAVEN_FILES) {
    try {
      rowsOf[name] = parseFile(name, files[name]);
    } catch (err) {
      if (!(err instanceof AppError) || !err.extra.errors) throw err;
      errors.push(...err.extra.errors);
    }
  }
  if (errors.length) throw invalid(errors, 'Some sample files are not the files we expect.');

  const rows: ReportRow[] = [];
  const note = (file: MavenFile, line: number, id: string, field: string, value: string, rule: Rule, decision: string) => rows.push({ file, line, id, field, value, rule, decision });

  // Products: unique by name; the price is in dollars.
  const products: MavenProduct[] = [];
  const productByName = new Map<string, MavenProduct>();
  for (const r of rowsOf.products) {
    const price = numberOrNull(r.sales_price);
    if (!r.product || price === null || price < 0) {
      note('products', r.__line, r.product, r.product ? 'sales_price' : 'product', r.product ? r.sales_price : '', 'skipped', 'Row not loaded: no product name or no valid price.');
      continue;
    }
    if (productByName.has(squash(r.product))) {
      note('products', r.__line, r.product, 'product', r.product, 'skipped', 'Row not loaded: the product is listed twice; the first row is kept.');
      continue;
    }
    const p = { name: r.product, series: r.series || null, unitPrice: Math.round(price * 100) };
    products.push(p);
    productByName.set(squash(r.product), p);
  }

  // Accounts → companies.
  const companies: MavenCompany[] = [];
  const companyByName = new Map<string, MavenCompany>();
  for (const r of rowsOf.accounts) {
    if (!r.account) {
      note('accounts', r.__line, '', 'account', '', 'skipped', 'Row not loaded: the account has no name.');
      continue;
    }
    if (companyByName.has(r.account.toLowerCase())) {
      note('accounts', r.__line, r.account, 'account', r.account, 'skipped', 'Row not loaded: the account is listed twice; the first row is kept.');
      continue;
    }
    let industry = r.sector || null;
    if (industry && SECTOR_FIXES[industry]) {
      note('accounts', r.__line, r.account, 'sector', industry, 'sector_misspelt', SECTOR_FIXES[industry]);
      industry = SECTOR_FIXES[industry];
    }
    let country = r.office_location || null;
    if (country && COUNTRY_FIXES[country]) {
      note('accounts', r.__line, r.account, 'office_location', country, 'country_misspelt', COUNTRY_FIXES[country]);
      country = COUNTRY_FIXES[country];
    }
    const employees = numberOrNull(r.employees);
    const c: MavenCompany = {
      name: r.account,
      industry,
      size: companySize(employees),
      country,
      yearEstablished: numberOrNull(r.year_established),
      revenueMusd: numberOrNull(r.revenue),
      employees,
      parent: r.subsidiary_of || null,
    };
    companies.push(c);
    companyByName.set(r.account.toLowerCase(), c);
  }

  // Agents and managers → people in one team per manager (named after its office and manager).
  const teams: MavenTeam[] = [];
  const teamOfManager = new Map<string, MavenTeam>();
  const people: MavenPerson[] = [];
  const personByName = new Map<string, MavenPerson>();
  for (const r of rowsOf.sales_teams) {
    if (!r.sales_agent) {
      note('sales_teams', r.__line, '', 'sales_agent', '', 'skipped', 'Row not loaded: no agent name.');
      continue;
    }
    let team: MavenTeam | null = null;
    if (r.manager) {
      team = teamOfManager.get(r.manager) ?? null;
      if (!team) {
        team = { name: r.regional_office ? `${r.regional_office} · ${r.manager}` : r.manager, region: r.regional_office, manager: r.manager };
        teams.push(team);
        teamOfManager.set(r.manager, team);
        const manager: MavenPerson = { name: r.manager, role: 'manager', team: team.name };
        people.push(manager);
        personByName.set(r.manager, manager);
      }
    } else {
      note('sales_teams', r.__line, r.sales_agent, 'manager', '', 'no_team', 'no team');
    }
    if (personByName.has(r.sales_agent)) {
      note('sales_teams', r.__line, r.sales_agent, 'sales_agent', r.sales_agent, 'skipped', 'Row not loaded: the agent is listed twice (or is also a manager); the first row is kept.');
      continue;
    }
    const agent: MavenPerson = { name: r.sales_agent, role: 'rep', team: team?.name ?? null };
    people.push(agent);
    personByName.set(r.sales_agent, agent);
  }

  // The last date in the data: the creation date of deals that carry none.
  let lastDate = '';
  for (const r of rowsOf.sales_pipeline) for (const d of [r.engage_date, r.close_date]) if (validDate(d) && d > lastDate) lastDate = d;
  if (!lastDate) throw invalid([{ field: 'files.sales_pipeline', message: 'No row has a valid engage_date or close_date (YYYY-MM-DD).', code: 'no_dates' }]);
  let shiftMonths = options.endBy ? monthIndex(options.endBy) - monthIndex(lastDate) : 0;
  if (options.endBy && shiftDay(lastDate, shiftMonths) > options.endBy) shiftMonths--;
  lastDate = shiftDay(lastDate, shiftMonths);

  const deals: MavenDeal[] = [];
  const seen = new Set<string>();
  for (const r of rowsOf.sales_pipeline) {
    const id = r.opportunity_id;
    const skip = (field: string, value: string, why: string) => note('sales_pipeline', r.__line, id, field, value, 'skipped', `Row not loaded: ${why}`);
    if (!id) {
      skip('opportunity_id', '', 'no opportunity id.');
      continue;
    }
    if (seen.has(id)) {
      skip('opportunity_id', id, 'the opportunity id appears twice; the first row is kept.');
      continue;
    }
    const stage = MAVEN_STAGES.find((s) => s.toLowerCase() === r.deal_stage.toLowerCase());
    if (!stage) {
      skip('deal_stage', r.deal_stage, `unknown stage (expected ${MAVEN_STAGES.join(', ')}).`);
      continue;
    }
    const agent = personByName.get(r.sales_agent);
    if (!agent) {
      skip('sales_agent', r.sales_agent, 'the agent is not in sales_teams.csv.');
      continue;
    }
    let product = productByName.get(squash(r.product));
    if (!product) {
      skip('product', r.product, 'the product is not in products.csv.');
      continue;
    }
    for (const [field, value] of [['engage_date', r.engage_date], ['close_date', r.close_date]] as const) {
      if (value && !validDate(value)) {
        skip(field, value, 'not a date (YYYY-MM-DD).');
        product = undefined;
        break;
      }
    }
    if (!product) continue;
    const engageDate = r.engage_date ? shiftDay(r.engage_date, shiftMonths) : '';
    const closeDate = r.close_date ? shiftDay(r.close_date, shiftMonths) : '';
    const isClosed = stage === 'Won' || stage === 'Lost';
    if (isClosed && !r.close_date) {
      skip('close_date', '', `a ${stage.toLowerCase()} deal needs its close date.`);
      continue;
    }
    if (engageDate && closeDate && closeDate < engageDate) {
      skip('close_date', r.close_date, 'closed before it was engaged.');
      continue;
    }
    const value = numberOrNull(r.close_value);
    if (r.close_value && (value === null || value < 0)) {
      skip('close_value', r.close_value, 'not an amount.');
      continue;
    }
    if (stage === 'Won' && value === null) {
      skip('close_value', '', 'a won deal needs its value.');
      continue;
    }
    let account: string | null = null;
    if (r.account) {
      const company = companyByName.get(r.account.toLowerCase());
      if (!company) {
        skip('account', r.account, 'the account is not in accounts.csv.');
        continue;
      }
      account = company.name;
    }
    seen.add(id);
    if (product.name !== r.product) note('sales_pipeline', r.__line, id, 'product', r.product, 'product_renamed', product.name);
    if (!account) note('sales_pipeline', r.__line, id, 'account', '', 'no_account', 'no customer');
    let amount: number;
    if (value === null) {
      amount = product.unitPrice;
      note('sales_pipeline', r.__line, id, 'close_value', '', 'no_amount', `${(product.unitPrice / 100).toFixed(2)} USD`);
    } else amount = Math.round(value * 100);
    let createdOn = engageDate;
    if (!createdOn) {
      // A closed deal without an engage date started no later than it closed.
      createdOn = closeDate && closeDate < lastDate ? closeDate : lastDate;
      note('sales_pipeline', r.__line, id, 'engage_date', '', 'no_engage_date', `created ${createdOn}`);
    }
    if (stage === 'Lost') note('sales_pipeline', r.__line, id, 'lost_reason', '', 'lost_no_reason', LOST_REASON);
    deals.push({
      line: r.__line,
      opportunityId: id,
      agent: agent.name,
      product: product.name,
      account,
      stage,
      createdOn,
      // An open deal in Prospecting was never engaged, whatever the file says.
      engagedOn: stage === 'Prospecting' ? null : engageDate || null,
      closedOn: isClosed ? closeDate : null,
      expectedCloseOn: isClosed ? closeDate : '',
      amount,
      lostReason: stage === 'Lost' ? LOST_REASON : null,
    });
  }

  // Open deals carry no close date: expect them to take the median time a won deal took.
  const cycles = deals
    .filter((d) => d.stage === 'Won' && d.engagedOn && d.closedOn)
    .map((d) => Math.round((Date.parse(d.closedOn!) - Date.parse(d.engagedOn!)) / 86_400_000))
    .sort((a, b) => a - b);
  const medianDaysToWin = cycles.length ? cycles[Math.floor((cycles.length - 1) / 2)] : 30;
  for (const d of deals) {
    if (d.expectedCloseOn) continue;
    d.expectedCloseOn = addDays(d.engagedOn ?? d.createdOn, medianDaysToWin);
    note('sales_pipeline', d.line, d.opportunityId, 'close_date', '', 'no_close_date', `${d.expectedCloseOn} (+${medianDaysToWin} days)`);
  }
  rows.sort((a, b) => MAVEN_FILES.indexOf(a.file) - MAVEN_FILES.indexOf(b.file) || a.line - b.line);

  return { lastDate, shiftMonths, medianDaysToWin, teams, people, companies, products, deals, report: { summary: summarize(rows), rows } };
}

/** One line per (rule, file, field, value), with how many rows it covers. */
function summarize(rows: ReportRow[]): ReportSummary[] {
  const byKey = new Map<string, ReportSummary>();
  for (const r of rows) {
    // A skipped row says why in its own decision; other rules state theirs once.
    const decision = r.rule === 'skipped' ? r.decision : RULES[r.rule];
    const key = `${r.rule}|${r.file}|${r.field}|${r.value}|${decision}`;
    const entry = byKey.get(key);
    if (entry) entry.rows++;
    else byKey.set(key, { rule: r.rule, file: r.file, field: r.field, value: r.value, decision, rows: 1 });
  }
  return [...byKey.values()];
}

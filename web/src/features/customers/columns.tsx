import type { ComponentChildren } from 'preact';
import { Badge } from '../../components/Card';
import { TagChip } from '../../components/TagPicker';
import { formatDate, formatMoney } from '../../lib/format';
import { t, type MessageKey } from '../../lib/i18n';
import type { ContactSummary } from './api';
import { LIFECYCLE_TONE, lifecycleLabel, RFM_TONE, rfmLabel } from './labels';
import { personName, type Lookups } from './lookups';

export type ColumnContext = { lookups: Lookups; currency: string };
export type Column = {
  id: string;
  label: MessageKey;
  /** The API sort key, when the list can be sorted by this column. */
  sort?: string;
  numeric?: boolean;
  render: (c: ContactSummary, ctx: ColumnContext) => ComponentChildren;
};

const muted = (text: ComponentChildren) => <span class="text-slate-400 dark:text-slate-500">{text}</span>;
const dash = muted('—');

export const COLUMNS: Column[] = [
  { id: 'company', label: 'customers.col.company', render: (c) => c.companyName ?? dash },
  { id: 'phone', label: 'customers.col.phone', render: (c) => c.phones[0] ?? dash },
  { id: 'email', label: 'customers.col.email', render: (c) => c.emails[0] ?? dash },
  { id: 'owner', label: 'customers.col.owner', render: (c, { lookups }) => personName(lookups.people, c.ownerId) ?? muted(t('customers.unassigned')) },
  { id: 'lifecycle', label: 'customers.col.lifecycle', render: (c) => <Badge tone={LIFECYCLE_TONE[c.lifecycle]}>{lifecycleLabel(c.lifecycle)}</Badge> },
  { id: 'rfm', label: 'customers.col.rfm', render: (c) => (c.rfmSegment === 'none' ? dash : <Badge tone={RFM_TONE[c.rfmSegment]}>{rfmLabel(c.rfmSegment)}</Badge>) },
  {
    id: 'tags',
    label: 'customers.col.tags',
    render: (c) =>
      c.tags.length ? (
        <span class="flex max-w-64 flex-wrap gap-1">
          {c.tags.slice(0, 3).map((tag) => (
            <TagChip key={tag.id} tag={tag} />
          ))}
          {c.tags.length > 3 && muted(`+${c.tags.length - 3}`)}
        </span>
      ) : (
        dash
      ),
  },
  { id: 'totalSpent', label: 'customers.col.totalSpent', sort: 'totalSpent', numeric: true, render: (c, { currency }) => formatMoney(c.totalSpent, currency) },
  { id: 'orderCount', label: 'customers.col.orders', numeric: true, render: (c) => c.orderCount },
  { id: 'lastPurchaseAt', label: 'customers.col.lastPurchase', sort: 'lastPurchaseAt', render: (c) => (c.lastPurchaseAt ? formatDate(c.lastPurchaseAt) : dash) },
  { id: 'lastContactedAt', label: 'customers.col.lastContacted', sort: 'lastContactedAt', render: (c) => (c.lastContactedAt ? formatDate(c.lastContactedAt) : dash) },
  { id: 'source', label: 'customers.col.source', render: (c) => t(`source.${c.source}`) },
  { id: 'createdAt', label: 'customers.col.created', sort: 'createdAt', render: (c) => formatDate(c.createdAt) },
  { id: 'updatedAt', label: 'customers.col.updated', sort: 'updatedAt', render: (c) => formatDate(c.updatedAt) },
];

const DEFAULT_COLUMNS = ['company', 'phone', 'lifecycle', 'rfm', 'totalSpent', 'lastPurchaseAt'];
const STORAGE_KEY = 'hearth.customers.columns';

/** The columns this person chose on this device (the default set until they choose). */
export function savedColumns(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(parsed)) return parsed.filter((id): id is string => typeof id === 'string' && COLUMNS.some((c) => c.id === id));
  } catch {
    /* unreadable: the default */
  }
  return DEFAULT_COLUMNS;
}

export function saveColumns(ids: string[]) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    /* private mode: the choice lasts for this visit */
  }
}

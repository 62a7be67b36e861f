import type { ComponentChildren } from 'preact';
import type { Page } from '../lib/api';
import { formatDateTime, formatMoney } from '../lib/format';
import { t, tMaybe } from '../lib/i18n';
import { useLoadMore } from '../lib/load-more';
import type { User } from '../lib/session';
import { Badge } from './Card';
import { Icon, type IconName } from './Icon';
import { ListStates } from './LoadMore';
import { EmptyState } from './States';

/**
 * One entry of `GET /contacts/:id/timeline` or `GET /companies/:id/timeline`: only the fields the
 * timeline shows, so that a feature's fuller records fit it as they are.
 */
export type TimelineActivityType = 'note' | 'call' | 'email' | 'meeting' | 'visit' | 'complaint' | 'system';
export type TimelineOrderStatus = 'pending' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded';
type TimelineActivity = { type: TimelineActivityType; subject: string | null; body: string | null; outcome: string | null; userId: string | null; meta: Record<string, unknown> | null; summary: string | null };
type TimelineOrder = { id: string; number: string | null; status: TimelineOrderStatus; currency: string; total: number };
type TimelineTicket = { kind: 'request' | 'complaint'; subject: string; description: string | null; resolution: string | null };
export type TimelineEntry =
  | { key: string; kind: 'activity'; at: string; activity: TimelineActivity }
  | { key: string; kind: 'order'; at: string; order: TimelineOrder }
  | { key: string; kind: 'ticket_opened' | 'ticket_resolved'; at: string; ticket: TimelineTicket };

const ACTIVITY_ICON: Record<TimelineActivityType, IconName> = { note: 'message', call: 'phone', email: 'mail', meeting: 'calendar', visit: 'building', complaint: 'alert', system: 'flame' };
export const ORDER_TONE: Record<TimelineOrderStatus, 'gray' | 'green' | 'amber' | 'red' | 'accent'> = { pending: 'amber', paid: 'green', fulfilled: 'green', cancelled: 'gray', refunded: 'red' };

/** Entries Hearth wrote itself, told from their structured `meta` in the reader's language. */
function systemText(a: TimelineActivity): string {
  const m = a.meta ?? {};
  const event = typeof m.event === 'string' ? m.event : '';
  const params = { source: String(m.sourceName ?? ''), target: String(m.targetName ?? ''), order: m.orderNumber ? String(m.orderNumber) : String(m.orderId ?? '').slice(-6), days: String(m.days ?? '') };
  return tMaybe(`timeline.system.${event}`, a.summary ?? a.subject ?? event, params);
}

function Entry({ icon, tone = 'gray', title, at, by, children }: { icon: IconName; tone?: 'gray' | 'accent' | 'green' | 'red' | 'amber'; title: ComponentChildren; at: string; by?: string; children?: ComponentChildren }) {
  const tones = {
    gray: 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300',
    accent: 'bg-accent-soft text-accent-text',
    green: 'bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300',
    red: 'bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300',
    amber: 'bg-amber-50 text-amber-700 dark:bg-amber-950 dark:text-amber-300',
  };
  return (
    <li class="relative flex gap-3 pb-5 last:pb-0">
      <span class={`relative z-10 grid size-8 shrink-0 place-items-center rounded-full ring-4 ring-white dark:ring-slate-900 ${tones[tone]}`}>
        <Icon name={icon} class="size-4" />
      </span>
      <div class="min-w-0 flex-1 pt-1">
        <div class="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
          <p class="min-w-0 text-sm font-medium break-words">{title}</p>
          <time dateTime={at} class="shrink-0 text-xs text-slate-500 dark:text-slate-400">
            {formatDateTime(at)}
          </time>
        </div>
        {children}
        {by && <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">{by}</p>}
      </div>
    </li>
  );
}

function TimelineItem({ entry, people, currency }: { entry: TimelineEntry; people: User[]; currency: string }) {
  if (entry.kind === 'activity') {
    const a = entry.activity;
    const who = a.userId ? people.find((p) => p.id === a.userId)?.name : undefined;
    if (a.type === 'system') return <Entry icon="flame" tone="accent" title={systemText(a)} at={entry.at} by={who} />;
    return (
      <Entry
        icon={ACTIVITY_ICON[a.type]}
        tone={a.type === 'complaint' ? 'red' : 'gray'}
        title={
          <>
            <span class="text-slate-500 dark:text-slate-400">{t(`activity.${a.type}`)}</span>
            {a.subject && <> · {a.subject}</>}
          </>
        }
        at={entry.at}
        by={who}
      >
        {a.body && <p class="mt-1 text-sm break-words whitespace-pre-wrap text-slate-700 dark:text-slate-300">{a.body}</p>}
        {a.outcome && <p class="mt-1 text-sm break-words text-slate-600 dark:text-slate-400">{t('timeline.outcome', { outcome: a.outcome })}</p>}
      </Entry>
    );
  }
  if (entry.kind === 'order') {
    const o = entry.order;
    return (
      <Entry icon="bag" tone="green" title={t('timeline.order', { number: o.number ?? o.id.slice(-6), total: formatMoney(o.total, o.currency || currency) })} at={entry.at}>
        <div class="mt-1">
          <Badge tone={ORDER_TONE[o.status]}>{t(`orderStatus.${o.status}`)}</Badge>
        </div>
      </Entry>
    );
  }
  const ticket = entry.ticket;
  const kind = t(`ticketKind.${ticket.kind}`);
  if (entry.kind === 'ticket_resolved') {
    return (
      <Entry icon="check" tone="green" title={t('timeline.ticketResolved', { kind, subject: ticket.subject })} at={entry.at}>
        {ticket.resolution && <p class="mt-1 text-sm break-words whitespace-pre-wrap text-slate-700 dark:text-slate-300">{ticket.resolution}</p>}
      </Entry>
    );
  }
  return (
    <Entry icon="ticket" tone={ticket.kind === 'complaint' ? 'red' : 'amber'} title={t('timeline.ticketOpened', { kind, subject: ticket.subject })} at={entry.at}>
      {ticket.description && <p class="mt-1 line-clamp-3 text-sm break-words whitespace-pre-wrap text-slate-700 dark:text-slate-300">{ticket.description}</p>}
    </Entry>
  );
}

/**
 * A customer's or company's history, newest first, one page at a time ("Load more" follows the
 * cursor). `load` reads one page; new `deps` start over.
 */
export function Timeline({
  load,
  deps,
  people,
  currency,
  label,
  emptyBody,
}: {
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<TimelineEntry>>;
  deps: unknown[];
  people: User[];
  currency: string;
  /** The list's accessible name. */
  label: string;
  emptyBody: string;
}) {
  const state = useLoadMore(load, deps);
  return (
    <ListStates state={state} empty={<EmptyState icon="message" title={t('timeline.emptyTitle')} body={emptyBody} />}>
      <ol class="relative p-4 before:absolute before:top-6 before:bottom-6 before:left-8 before:w-px before:bg-slate-200 sm:p-5 sm:before:left-9 dark:before:bg-slate-800" aria-label={label}>
        {state.items.map((entry) => (
          <TimelineItem key={entry.key} entry={entry} people={people} currency={currency} />
        ))}
      </ol>
    </ListStates>
  );
}

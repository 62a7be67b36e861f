import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { FormError, Field, inputClass } from '../../components/Field';
import { Icon, type IconName } from '../../components/Icon';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t, tMaybe } from '../../lib/i18n';
import { useLoadMore, type LoadMoreState } from '../../lib/load-more';
import type { User } from '../../lib/session';
import { getOrder, listOrders, listTickets, timelineOf, updateTicket, type Activity, type ActivityType, type Order, type OrderStatus, type Ticket, type TimelineEntry } from './api';
import { personName } from './lookups';

const ACTIVITY_ICON: Record<ActivityType, IconName> = { note: 'message', call: 'phone', email: 'mail', meeting: 'calendar', visit: 'building', complaint: 'alert', system: 'flame' };
const ORDER_TONE: Record<OrderStatus, 'gray' | 'green' | 'amber' | 'red' | 'accent'> = { pending: 'amber', paid: 'green', fulfilled: 'green', cancelled: 'gray', refunded: 'red' };
const TICKET_TONE = { open: 'amber', pending: 'accent', resolved: 'green', closed: 'gray' } as const;

/** Entries Hearth wrote itself, told from their structured `meta` in the reader's language. */
function systemText(a: Activity): string {
  const m = a.meta ?? {};
  const event = typeof m.event === 'string' ? m.event : '';
  const params = { source: String(m.sourceName ?? ''), target: String(m.targetName ?? ''), order: m.orderNumber ? String(m.orderNumber) : String(m.orderId ?? '').slice(-6), days: String(m.days ?? '') };
  return tMaybe(`timeline.system.${event}`, a.summary ?? a.subject ?? event, params);
}

function LoadMoreFooter<T>({ state }: { state: LoadMoreState<T> }) {
  if (!state.hasMore && !state.error) return null;
  return (
    <div class="flex flex-col items-center gap-2 border-t border-slate-200 p-4 dark:border-slate-800">
      {state.error ? <p class="text-sm text-red-600 dark:text-red-400">{messageFor(state.error)}</p> : null}
      <Button busy={state.loadingMore} onClick={state.more}>
        {t('customers.loadMore')}
      </Button>
    </div>
  );
}

function ListStates<T>({ state, empty, children }: { state: LoadMoreState<T>; empty: ComponentChildren; children: ComponentChildren }) {
  if (state.error && state.items.length === 0) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.loaded) return <Loading />;
  if (state.items.length === 0) return <>{empty}</>;
  return (
    <div class={state.loading ? 'opacity-60 transition-opacity' : ''}>
      {children}
      <LoadMoreFooter state={state} />
    </div>
  );
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
    const who = personName(people, a.userId);
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
        {a.body && <p class="mt-1 text-sm whitespace-pre-wrap text-slate-700 dark:text-slate-300">{a.body}</p>}
        {a.outcome && <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('timeline.outcome', { outcome: a.outcome })}</p>}
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
        {ticket.resolution && <p class="mt-1 text-sm whitespace-pre-wrap text-slate-700 dark:text-slate-300">{ticket.resolution}</p>}
      </Entry>
    );
  }
  return (
    <Entry icon="ticket" tone={ticket.kind === 'complaint' ? 'red' : 'amber'} title={t('timeline.ticketOpened', { kind, subject: ticket.subject })} at={entry.at}>
      {ticket.description && <p class="mt-1 line-clamp-3 text-sm whitespace-pre-wrap text-slate-700 dark:text-slate-300">{ticket.description}</p>}
    </Entry>
  );
}

/** Everything that happened with this customer, newest first, one page at a time. */
export function Timeline({ contactId, version, people, currency }: { contactId: string; version: number; people: User[]; currency: string }) {
  const state = useLoadMore((cursor, signal) => timelineOf(contactId, cursor, signal), [contactId, version]);
  return (
    <ListStates state={state} empty={<EmptyState icon="message" title={t('timeline.emptyTitle')} body={t('timeline.emptyBody')} />}>
      <ol class="relative p-4 before:absolute before:top-6 before:bottom-6 before:left-8 before:w-px before:bg-slate-200 sm:p-5 sm:before:left-9 dark:before:bg-slate-800" aria-label={t('customers.tab.timeline')}>
        {state.items.map((entry) => (
          <TimelineItem key={entry.key} entry={entry} people={people} currency={currency} />
        ))}
      </ol>
    </ListStates>
  );
}

function OrderItems({ id }: { id: string }) {
  const state = useAsync((signal) => getOrder(id, signal), [id]);
  if (state.error) return <p class="px-4 py-2 text-sm text-red-600">{messageFor(state.error)}</p>;
  if (!state.data) return <Loading />;
  const order = state.data;
  return (
    <ul class="divide-y divide-slate-100 bg-slate-50 px-4 text-sm sm:px-5 dark:divide-slate-800 dark:bg-slate-950/40">
      {order.items.map((item) => (
        <li key={item.id} class="flex justify-between gap-3 py-2">
          <span class="min-w-0 truncate">
            {item.name} <span class="text-slate-500">× {item.quantity}</span>
          </span>
          <span class="tabular-nums">{formatMoney(item.amount, order.currency)}</span>
        </li>
      ))}
      {order.note && <li class="py-2 text-slate-600 dark:text-slate-400">{order.note}</li>}
    </ul>
  );
}

export function OrdersTab({ contactId, version }: { contactId: string; version: number }) {
  const state = useLoadMore((cursor, signal) => listOrders(contactId, cursor, signal), [contactId, version]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <ListStates state={state} empty={<EmptyState icon="bag" title={t('orders.emptyTitle')} body={t('orders.emptyBody')} />}>
      <ul class="divide-y divide-slate-100 dark:divide-slate-800">
        {state.items.map((o: Order) => (
          <li key={o.id}>
            <button
              type="button"
              class="flex w-full items-center gap-3 px-4 py-3 text-left text-sm hover:bg-slate-50 sm:px-5 dark:hover:bg-slate-800/40"
              aria-expanded={open === o.id}
              onClick={() => setOpen(open === o.id ? null : o.id)}
            >
              <Icon name="down" class={`size-4 shrink-0 text-slate-400 transition ${open === o.id ? '' : '-rotate-90'}`} />
              <span class="min-w-0 flex-1">
                <span class="font-medium">{t('orders.number', { number: o.number ?? o.id.slice(-6) })}</span>
                <span class="ml-2 text-slate-500 dark:text-slate-400">{formatDate(o.orderedAt)}</span>
              </span>
              <Badge tone={ORDER_TONE[o.status]}>{t(`orderStatus.${o.status}`)}</Badge>
              <span class="w-24 text-right font-medium tabular-nums">{formatMoney(o.total, o.currency)}</span>
            </button>
            {open === o.id && <OrderItems id={o.id} />}
          </li>
        ))}
      </ul>
    </ListStates>
  );
}

function duration(seconds: number): string {
  if (seconds < 3600) return t('tickets.minutes', { n: Math.max(1, Math.round(seconds / 60)) });
  if (seconds < 86400 * 2) return t('tickets.hours', { n: Math.round(seconds / 3600) });
  return t('tickets.days', { n: Math.round(seconds / 86400) });
}

function ResolveDialog({ ticket, onClose, onDone }: { ticket: Ticket; onClose: () => void; onDone: () => void }) {
  const [resolution, setResolution] = useState('');
  const submit = useSubmit(async () => {
    await updateTicket(ticket, { status: 'resolved', resolution });
    toast(t('tickets.resolved'));
    onDone();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('tickets.resolveTitle', { subject: ticket.subject })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} onClick={() => void submit.run()}>
            {t('tickets.resolve')}
          </Button>
        </>
      }
    >
      <div class="flex flex-col gap-4">
        <FormError message={submit.message} />
        <Field label={t('tickets.resolution')} error={submit.field('resolution')}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={4} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} value={resolution} onInput={(e) => setResolution(e.currentTarget.value)} />
          )}
        </Field>
      </div>
    </Dialog>
  );
}

export function TicketsTab({ contactId, version, onChanged, canWrite }: { contactId: string; version: number; onChanged: () => void; canWrite: boolean }) {
  const state = useLoadMore((cursor, signal) => listTickets(contactId, cursor, signal), [contactId, version]);
  const [resolving, setResolving] = useState<Ticket | null>(null);
  return (
    <>
      <ListStates state={state} empty={<EmptyState icon="ticket" title={t('tickets.emptyTitle')} body={t('tickets.emptyBody')} />}>
        <ul class="divide-y divide-slate-100 dark:divide-slate-800">
          {state.items.map((ticket) => (
            <li key={ticket.id} class="flex flex-wrap items-start gap-3 px-4 py-3 text-sm sm:px-5">
              <div class="min-w-0 flex-1">
                <div class="flex flex-wrap items-center gap-1.5">
                  <Badge tone={ticket.kind === 'complaint' ? 'red' : 'gray'}>{t(`ticketKind.${ticket.kind}`)}</Badge>
                  <Badge tone={TICKET_TONE[ticket.status]}>{t(`ticketStatus.${ticket.status}`)}</Badge>
                  {ticket.priority !== 'normal' && <Badge tone={ticket.priority === 'low' ? 'gray' : 'amber'}>{t(`priority.${ticket.priority}`)}</Badge>}
                </div>
                <p class="mt-1 font-medium break-words">{ticket.subject}</p>
                <p class="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
                  {t('tickets.opened', { date: formatDateTime(ticket.openedAt) })}
                  {ticket.timeToResolveSeconds !== null && ` · ${t('tickets.resolvedIn', { duration: duration(ticket.timeToResolveSeconds) })}`}
                </p>
                {ticket.resolution && <p class="mt-1 text-slate-600 dark:text-slate-300">{ticket.resolution}</p>}
              </div>
              {canWrite && (ticket.status === 'open' || ticket.status === 'pending') && (
                <Button size="sm" icon="check" onClick={() => setResolving(ticket)}>
                  {t('tickets.resolve')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </ListStates>
      {resolving && (
        <ResolveDialog
          ticket={resolving}
          onClose={() => setResolving(null)}
          onDone={() => {
            setResolving(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

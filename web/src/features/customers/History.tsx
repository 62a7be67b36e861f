import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { FormError, Field, inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { ListStates } from '../../components/LoadMore';
import { EmptyState, Loading } from '../../components/States';
import { ORDER_TONE, Timeline as SharedTimeline } from '../../components/Timeline';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import type { User } from '../../lib/session';
import { getOrder, listOrders, listTickets, timelineOf, updateTicket, type Order, type Ticket } from './api';

const TICKET_TONE = { open: 'amber', pending: 'accent', resolved: 'green', closed: 'gray' } as const;

/** Everything that happened with this customer, newest first, one page at a time. */
export function Timeline({ contactId, version, people, currency }: { contactId: string; version: number; people: User[]; currency: string }) {
  return (
    <SharedTimeline
      load={(cursor, signal) => timelineOf(contactId, cursor, signal)}
      deps={[contactId, version]}
      people={people}
      currency={currency}
      label={t('customers.tab.timeline')}
      emptyBody={t('timeline.emptyBody')}
    />
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

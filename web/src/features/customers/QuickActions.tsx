import { useState } from 'preact/hooks';
import { Button, ButtonLink } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { toast } from '../../components/Toast';
import { fieldMessage } from '../../lib/errors';
import { formatMoney, inputToMinor, minorToInput } from '../../lib/format';
import { useAsync, useDebounced, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import { createActivity, createOrder, createTicket, ORDER_STATUSES, searchProducts, TICKET_PRIORITIES, type Contact, type OrderStatus, type Product, type TicketKind, type TicketPriority } from './api';

type Kind = 'call' | 'note' | 'order' | 'ticket';

function TextArea({ label, value, onInput, error, rows = 4, autoFocus }: { label: string; value: string; onInput: (v: string) => void; error?: string; rows?: number; autoFocus?: boolean }) {
  return (
    <Field label={label} error={error}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} rows={rows} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} value={value} autoFocus={autoFocus} onInput={(e) => onInput(e.currentTarget.value)} />
      )}
    </Field>
  );
}

const localNow = () => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};

function ActivityDialog({ contact, type, onClose, onDone }: { contact: Contact; type: 'call' | 'note'; onClose: () => void; onDone: () => void }) {
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState('');
  const [when, setWhen] = useState(localNow);
  const submit = useSubmit(async () => {
    await createActivity({
      type,
      contactId: contact.id,
      subject: subject.trim() || null,
      body: body.trim() || null,
      outcome: outcome.trim() || null,
      occurredAt: when ? new Date(when).toISOString() : undefined,
    });
    toast(t(type === 'call' ? 'quick.callLogged' : 'quick.noteAdded'));
    onDone();
  });
  const bodyError = submit.field('body') ? t('quick.writeSomething') : undefined;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t(type === 'call' ? 'quick.callTitle' : 'quick.noteTitle', { name: contact.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="activity-form" tone="primary" busy={submit.busy}>
            {t(type === 'call' ? 'quick.logCall' : 'quick.addNote')}
          </Button>
        </>
      }
    >
      <form
        id="activity-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message && !bodyError ? submit.message : null} />
        {type === 'call' && <InputField label={t('quick.subject')} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} error={submit.field('subject')} />}
        <TextArea label={t(type === 'call' ? 'quick.callNotes' : 'quick.note')} value={body} onInput={setBody} error={bodyError} autoFocus={type === 'note'} />
        {type === 'call' && (
          <div class="grid gap-4 sm:grid-cols-2">
            <InputField label={t('quick.outcome')} list="call-outcomes" value={outcome} onInput={(e) => setOutcome(e.currentTarget.value)} error={submit.field('outcome')} />
            <datalist id="call-outcomes">
              {(['reached', 'noAnswer', 'leftMessage', 'callBack'] as const).map((o) => (
                <option key={o} value={t(`quick.outcome.${o}`)} />
              ))}
            </datalist>
            <InputField label={t('quick.when')} type="datetime-local" value={when} onInput={(e) => setWhen(e.currentTarget.value)} error={submit.field('occurredAt')} />
          </div>
        )}
      </form>
    </Dialog>
  );
}

type Line = { key: number; productId?: string; name: string; quantity: string; price: string };

function OrderDialog({ contact, onClose, onDone }: { contact: Contact; onClose: () => void; onDone: () => void }) {
  const currency = me.value?.workspace.currency ?? 'CNY';
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const products = useAsync((signal) => searchProducts(q, signal), [q]);
  const [lines, setLines] = useState<Line[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [status, setStatus] = useState<OrderStatus>('paid');
  const [orderedOn, setOrderedOn] = useState('');
  const [note, setNote] = useState('');

  const addLine = (p?: Product) => {
    setLines((ls) => [...ls, { key: nextKey, productId: p?.id, name: p?.name ?? '', quantity: '1', price: p ? minorToInput(p.unitPrice, currency) : '' }]);
    setNextKey((k) => k + 1);
  };
  const change = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const total = lines.reduce((sum, l) => sum + (inputToMinor(l.price, currency) ?? 0) * (Number.parseInt(l.quantity, 10) || 0), 0);

  const submit = useSubmit(async () => {
    await createOrder({
      contactId: contact.id,
      status,
      orderedAt: orderedOn ? new Date(`${orderedOn}T12:00:00`).toISOString() : undefined,
      note: note.trim() || null,
      items: lines.map((l) => ({
        productId: l.productId,
        name: l.productId ? undefined : l.name.trim() || undefined,
        quantity: Number.parseInt(l.quantity, 10) || 0,
        unitPrice: inputToMinor(l.price, currency) ?? undefined,
      })),
    });
    toast(t('quick.orderRecorded', { total: formatMoney(total, currency) }));
    onDone();
  });
  const itemsError = submit.error && lines.length === 0 ? t('quick.addItem') : undefined;

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={t('quick.orderTitle', { name: contact.name })}
      footer={
        <>
          <span class="mr-auto self-center text-sm font-medium tabular-nums">{t('quick.total', { total: formatMoney(total, currency) })}</span>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="order-form" tone="primary" busy={submit.busy}>
            {t('quick.recordOrder')}
          </Button>
        </>
      }
    >
      <form
        id="order-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={itemsError ?? submit.message} />
        <div>
          <label class="relative block">
            <span class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">{t('quick.findProduct')}</span>
            <span class="pointer-events-none absolute bottom-0 left-3 flex h-9 items-center text-slate-400">
              <Icon name="search" class="size-4" />
            </span>
            <input type="search" class={`${inputClass} pl-9`} placeholder={t('quick.productPlaceholder')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <ul class="mt-2 max-h-44 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label={t('quick.products')}>
            {(products.data?.items ?? []).map((p) => (
              <li key={p.id} class="flex items-center gap-3 px-3 py-2 text-sm">
                <span class="min-w-0 flex-1 truncate">
                  {p.name}
                  {p.sku && <span class="ml-2 text-xs text-slate-500">{p.sku}</span>}
                </span>
                <span class="tabular-nums text-slate-600 dark:text-slate-300">{formatMoney(p.unitPrice, p.currency)}</span>
                <Button size="sm" icon="plus" onClick={() => addLine(p)} aria-label={t('quick.addProduct', { name: p.name })}>
                  {t('quick.add')}
                </Button>
              </li>
            ))}
            {products.data && products.data.items.length === 0 && <li class="px-3 py-3 text-sm text-slate-500">{t('quick.noProducts')}</li>}
          </ul>
          <button type="button" class="mt-2 text-sm font-medium text-accent-text hover:underline" onClick={() => addLine()}>
            {t('quick.customItem')}
          </button>
        </div>

        {lines.length > 0 && (
          <fieldset class="flex flex-col gap-3">
            <legend class="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">{t('quick.items')}</legend>
            {lines.map((l, i) => (
              <div key={l.key} class="grid grid-cols-[1fr_4.5rem_6.5rem_auto] items-start gap-2">
                <div>
                  <input
                    class={inputClass}
                    aria-label={t('quick.itemName')}
                    value={l.name}
                    disabled={Boolean(l.productId)}
                    placeholder={t('quick.itemName')}
                    aria-invalid={Boolean(fieldMessage(submit.error, `items.${i}.name`))}
                    onInput={(e) => change(l.key, { name: e.currentTarget.value })}
                  />
                  {fieldMessage(submit.error, `items.${i}`) && <p class="mt-1 text-xs text-red-600 dark:text-red-400">{fieldMessage(submit.error, `items.${i}`)}</p>}
                </div>
                <input class={inputClass} aria-label={t('quick.quantity')} inputMode="numeric" value={l.quantity} onInput={(e) => change(l.key, { quantity: e.currentTarget.value })} />
                <input class={inputClass} aria-label={t('quick.unitPrice', { currency })} inputMode="decimal" value={l.price} onInput={(e) => change(l.key, { price: e.currentTarget.value })} />
                <button type="button" class="rounded-md p-2 text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800" aria-label={t('quick.removeItem')} onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
                  <Icon name="trash" class="size-4" />
                </button>
              </div>
            ))}
          </fieldset>
        )}

        <div class="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('quick.status')} value={status} onChange={(e) => setStatus(e.currentTarget.value as OrderStatus)}>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orderStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <InputField label={t('quick.orderedOn')} type="date" value={orderedOn} onInput={(e) => setOrderedOn(e.currentTarget.value)} hint={t('quick.orderedOnHint')} />
        </div>
        <TextArea label={t('quick.orderNote')} value={note} onInput={setNote} rows={2} />
      </form>
    </Dialog>
  );
}

function TicketDialog({ contact, onClose, onDone }: { contact: Contact; onClose: () => void; onDone: () => void }) {
  const [kind, setKind] = useState<TicketKind>('complaint');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const submit = useSubmit(async () => {
    await createTicket({ contactId: contact.id, kind, subject, description: description.trim() || null, priority });
    toast(t('quick.ticketOpened'));
    onDone();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('quick.ticketTitle', { name: contact.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="ticket-form" tone="primary" busy={submit.busy}>
            {t('quick.openTicket')}
          </Button>
        </>
      }
    >
      <form
        id="ticket-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <div class="grid gap-4 sm:grid-cols-2">
          <SelectField label={t('quick.ticketKind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as TicketKind)}>
            <option value="complaint">{t('ticketKind.complaint')}</option>
            <option value="request">{t('ticketKind.request')}</option>
          </SelectField>
          <SelectField label={t('quick.priority')} value={priority} onChange={(e) => setPriority(e.currentTarget.value as TicketPriority)}>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <InputField label={t('quick.subject')} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} error={submit.field('subject')} autoFocus />
        <TextArea label={t('quick.description')} value={description} onInput={setDescription} error={submit.field('description')} />
      </form>
    </Dialog>
  );
}

/** The everyday actions on a customer, one tap each (a task opens the task form with the customer filled in). */
export function QuickActions({ contact, onChanged }: { contact: Contact; onChanged: () => void }) {
  const [open, setOpen] = useState<Kind | null>(null);
  const close = () => setOpen(null);
  const done = () => {
    setOpen(null);
    onChanged();
  };
  const canLog = can('activities:write');
  return (
    <div class="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap" role="toolbar" aria-label={t('quick.label')}>
      {canLog && (
        <Button icon="phone" onClick={() => setOpen('call')}>
          {t('quick.logCall')}
        </Button>
      )}
      {canLog && (
        <Button icon="message" onClick={() => setOpen('note')}>
          {t('quick.addNote')}
        </Button>
      )}
      {can('tasks:write') && (
        <ButtonLink icon="tasks" href={`/tasks/new?contactId=${encodeURIComponent(contact.id)}&back=${encodeURIComponent(`/customers/${contact.id}`)}`}>
          {t('quick.addTask')}
        </ButtonLink>
      )}
      {can('orders:write') && (
        <Button icon="bag" onClick={() => setOpen('order')}>
          {t('quick.recordOrder')}
        </Button>
      )}
      {can('tickets:write') && (
        <Button icon="ticket" onClick={() => setOpen('ticket')}>
          {t('quick.openTicket')}
        </Button>
      )}
      {(open === 'call' || open === 'note') && <ActivityDialog contact={contact} type={open} onClose={close} onDone={done} />}
      {open === 'order' && <OrderDialog contact={contact} onClose={close} onDone={done} />}
      {open === 'ticket' && <TicketDialog contact={contact} onClose={close} onDone={done} />}
    </div>
  );
}

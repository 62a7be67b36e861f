import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, CardHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { customValueText } from '../../components/CustomFieldInputs';
import { RecordStateNotice } from '../../components/RecordState';
import { Dialog } from '../../components/Dialog';
import { FormError, InputField } from '../../components/Field';
import { Icon, type IconName } from '../../components/Icon';
import { Menu, MenuItem } from '../../components/Menu';
import { OpenTasksCard, type OpenTasksText } from '../../components/OpenTasks';
import { ErrorState, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { TagChip } from '../../components/TagPicker';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import {
  ADDRESS_PARTS,
  archiveContact,
  completeTask,
  deleteContact,
  eraseContact,
  exportUrl,
  findDuplicates,
  listOpenTasks,
  reopenTask,
  restoreContact,
  unarchiveContact,
  type Contact,
} from './api';
import { isNotFound, NotFound, useContact } from './common';
import { OrdersTab, TicketsTab, Timeline } from './History';
import { LIFECYCLE_TONE, lifecycleLabel, RFM_TONE, rfmLabel } from './labels';
import { useLookups } from './lookups';
import { QuickActions } from './QuickActions';

type Tab = 'timeline' | 'orders' | 'tickets' | 'deals';

const taskText: OpenTasksText = (key, params) => t(`customers.tasks.${key}`, params);

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="min-w-0">
      <dt class="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="mt-0.5 truncate text-base font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

function ContactLink({ href, icon, children }: { href: string; icon: IconName; children: ComponentChildren }) {
  return (
    <a href={href} class="inline-flex max-w-full items-center gap-1.5 text-sm text-slate-700 hover:text-accent-text hover:underline dark:text-slate-300">
      <Icon name={icon} class="size-4 shrink-0 text-slate-400" />
      <span class="truncate">{children}</span>
    </a>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div class="grid grid-cols-[7.5rem_1fr] gap-3 py-2 text-sm">
      <dt class="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function EraseDialog({ contact, onClose, onErased }: { contact: Contact; onClose: () => void; onErased: () => void }) {
  const [typed, setTyped] = useState('');
  const submit = useSubmit(async () => {
    await eraseContact(contact.id);
    toast(t('customers.erased'));
    onErased();
  });
  const matches = typed.trim() === contact.name.trim();
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('customers.eraseTitle', { name: contact.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="danger" busy={submit.busy} disabled={!matches} onClick={() => void submit.run()}>
            {t('customers.erase')}
          </Button>
        </>
      }
    >
      <div class="flex flex-col gap-4 text-sm">
        <p class="text-slate-600 dark:text-slate-300">{t('customers.eraseBody')}</p>
        <FormError message={submit.message} />
        <InputField label={t('customers.eraseType', { name: contact.name })} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
      </div>
    </Dialog>
  );
}

/** Likely duplicates of this customer (same phone or email), each one click from the merge screen. */
function DuplicatesBanner({ contact }: { contact: Contact }) {
  const probe = { phone: contact.phones[0], email: contact.emails[0], excludeId: contact.id };
  const state = useAsync((signal) => (probe.phone || probe.email ? findDuplicates(probe, signal) : Promise.resolve({ items: [] })), [contact.id, contact.version]);
  const visible = (state.data?.items ?? []).filter((d) => d.visible && d.id);
  if (visible.length === 0 || !can('contacts:write') || contact.erasedAt || contact.deletedAt) return null;
  return (
    <div class="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200" role="note">
      <Icon name="merge" class="size-4 shrink-0" />
      <span class="min-w-0 flex-1">{t('customers.possibleDuplicates', { count: visible.length })}</span>
      {visible.map((d) => (
        <span key={d.id} class="flex items-center gap-2">
          <a href={`/customers/${d.id}`} class="font-medium underline-offset-2 hover:underline">
            {d.name}
          </a>
          <ButtonLink size="sm" href={`/customers/${contact.id}/merge?source=${d.id}`} icon="merge">
            {t('customers.mergeAction')}
          </ButtonLink>
        </span>
      ))}
    </div>
  );
}

export function CustomerDetailPage({ id }: { id: string }) {
  const { route } = useLocation();
  const lookups = useLookups();
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<Tab>('timeline');
  const [historyVersion, setHistoryVersion] = useState(0);
  const [erasing, setErasing] = useState(false);
  const state = useContact(id, [version]);
  const currency = me.value?.workspace.currency ?? 'CNY';
  const canWrite = can('contacts:write');
  const isAdmin = me.value?.user.role === 'owner' || me.value?.user.role === 'admin';

  if (state.error) return isNotFound(state.error) ? <NotFound /> : <ErrorState error={state.error} onRetry={state.reload} />;
  const contact = state.data;
  if (!contact || contact.id !== id) return <Loading />;

  const refresh = () => setVersion((v) => v + 1);
  const changed = () => {
    refresh();
    setHistoryVersion((v) => v + 1);
  };
  const act = async (run: () => Promise<unknown>, message: string, undo?: { label: string; run: () => Promise<unknown>; done: string }) => {
    try {
      await run();
      toast(message, 'success', undo && { label: undo.label, run: () => void undo.run().then(() => (toast(undo.done), refresh()), (err) => toast(messageFor(err), 'error')) });
      refresh();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const archive = async () => {
    const ok = await confirmAction({ title: t('customers.archiveTitle', { name: contact.name }), body: t('customers.archiveBody'), confirmLabel: t('customers.archive'), danger: false });
    if (!ok) return;
    await act(() => archiveContact(id), t('customers.archived', { name: contact.name }), { label: t('crm.undo'), run: () => unarchiveContact(id), done: t('customers.unarchived', { name: contact.name }) });
  };
  const remove = async () => {
    const ok = await confirmAction({ title: t('customers.deleteTitle', { name: contact.name }), body: t('customers.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteContact(id);
      toast(t('customers.deleted', { name: contact.name }), 'success', {
        label: t('crm.undo'),
        run: () =>
          void restoreContact(id).then(
            () => {
              toast(t('customers.restored', { name: contact.name }));
              route(`/customers/${id}`);
            },
            (err) => toast(messageFor(err), 'error'),
          ),
      });
      route('/customers');
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const company = contact.company;
  const owner = contact.owner?.name;
  const readOnly = Boolean(contact.erasedAt || contact.deletedAt);
  const address = ADDRESS_PARTS.map((p) => contact.address[p]).filter(Boolean).join(' ');

  return (
    <div class="flex flex-col gap-5">
      <a href="/customers" class="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        <Icon name="left" class="size-4" />
        {t('customers.backToList')}
      </a>

      {contact.deletedAt && (
        <RecordStateNotice
          state="deleted"
          message={t('customers.inBin', { date: formatDate(contact.deletedAt) })}
          action={canWrite ? { label: t('customers.restore'), onClick: () => void act(() => restoreContact(id), t('customers.restored', { name: contact.name })) } : undefined}
        />
      )}
      {contact.archivedAt && !contact.deletedAt && (
        <RecordStateNotice
          state="archived"
          message={t('customers.isArchived', { date: formatDate(contact.archivedAt) })}
          action={canWrite ? { label: t('customers.unarchive'), onClick: () => void act(() => unarchiveContact(id), t('customers.unarchived', { name: contact.name })) } : undefined}
        />
      )}
      {contact.erasedAt && (
        <div class="rounded-lg border border-slate-200 bg-slate-100 px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900" role="status">
          {t('customers.isErased', { date: formatDate(contact.erasedAt) })}
        </div>
      )}

      <Card>
        <div class="flex flex-col gap-4 p-4 sm:p-5">
          <div class="flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
              <h1 class="text-xl font-semibold tracking-tight break-words sm:text-2xl">{contact.name}</h1>
              <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                {contact.title}
                {company && (
                  <>
                    {contact.title ? ' · ' : ''}
                    <a href={`/companies/${company.id}`} class="font-medium text-slate-700 hover:underline dark:text-slate-300">
                      {company.name}
                    </a>
                  </>
                )}
              </p>
              <div class="mt-2 flex flex-wrap items-center gap-1.5">
                <Badge tone={LIFECYCLE_TONE[contact.lifecycle]}>{lifecycleLabel(contact.lifecycle)}</Badge>
                {contact.rfmSegment !== 'none' && (
                  <span title={contact.rfmScore ? t('customers.rfmScore', { score: contact.rfmScore }) : undefined}>
                    <Badge tone={RFM_TONE[contact.rfmSegment]}>{t('customers.rfmBadge', { segment: rfmLabel(contact.rfmSegment) })}</Badge>
                  </span>
                )}
                {contact.tags.map((tag) => (
                  <TagChip key={tag.id} tag={tag} />
                ))}
              </div>
            </div>
            {canWrite && !readOnly && (
              <div class="ml-auto flex gap-2">
                <ButtonLink href={`/customers/${id}/edit`} icon="edit">
                  {t('common.edit')}
                </ButtonLink>
                <Menu label={t('customers.moreActions')}>
                  {contact.archivedAt ? (
                    <MenuItem icon="undo" onClick={() => void act(() => unarchiveContact(id), t('customers.unarchived', { name: contact.name }))}>
                      {t('customers.unarchive')}
                    </MenuItem>
                  ) : (
                    <MenuItem icon="archive" onClick={() => void archive()}>
                      {t('customers.archive')}
                    </MenuItem>
                  )}
                  <MenuItem icon="download" href={exportUrl(id)} download={`customer-${id}.json`}>
                    {t('customers.export')}
                  </MenuItem>
                  {isAdmin && (
                    <MenuItem icon="shield" danger onClick={() => setErasing(true)}>
                      {t('customers.erase')}
                    </MenuItem>
                  )}
                  <MenuItem icon="trash" danger onClick={() => void remove()}>
                    {t('common.delete')}
                  </MenuItem>
                </Menu>
              </div>
            )}
            {readOnly && (
              <Menu label={t('customers.moreActions')}>
                <MenuItem icon="download" href={exportUrl(id)} download={`customer-${id}.json`}>
                  {t('customers.export')}
                </MenuItem>
              </Menu>
            )}
          </div>

          {(contact.phones.length > 0 || contact.emails.length > 0 || owner) && (
            <div class="flex flex-wrap gap-x-5 gap-y-2">
              {contact.phones.map((p) => (
                <ContactLink key={p} href={`tel:${p}`} icon="phone">
                  {p}
                </ContactLink>
              ))}
              {contact.emails.map((e) => (
                <ContactLink key={e} href={`mailto:${e}`} icon="mail">
                  {e}
                </ContactLink>
              ))}
              <span class="inline-flex items-center gap-1.5 text-sm text-slate-600 dark:text-slate-400">
                <Icon name="user" class="size-4 text-slate-400" />
                {owner ? t('customers.ownedBy', { name: owner }) : t('customers.unassigned')}
              </span>
            </div>
          )}

          <dl class="grid grid-cols-2 gap-4 border-t border-slate-200 pt-4 sm:grid-cols-4 dark:border-slate-800">
            <Fact label={t('customers.col.totalSpent')}>{formatMoney(contact.totalSpent, currency)}</Fact>
            <Fact label={t('customers.col.orders')}>{contact.orderCount}</Fact>
            <Fact label={t('customers.col.lastPurchase')}>{contact.lastPurchaseAt ? formatDate(contact.lastPurchaseAt) : '—'}</Fact>
            <Fact label={t('customers.aov')}>{contact.orderCount ? formatMoney(contact.averageOrderValue, currency) : '—'}</Fact>
          </dl>
        </div>
      </Card>

      <DuplicatesBanner contact={contact} />

      {!readOnly && <QuickActions contact={contact} onChanged={changed} />}

      {can('tasks:read') && (
        <OpenTasksCard
          text={taskText}
          load={(cursor, signal) => listOpenTasks(id, cursor, signal)}
          complete={completeTask}
          reopen={reopenTask}
          prefill={{ contactId: id }}
          people={lookups.people}
          canWrite={can('tasks:write') && !readOnly}
          deps={[id]}
          onChanged={() => setHistoryVersion((v) => v + 1)}
        />
      )}

      <div class="grid gap-5 lg:grid-cols-3">
        <Card class="min-w-0 lg:col-span-2">
          <div class="border-b border-slate-200 px-4 sm:px-5 dark:border-slate-800">
            <Tabs
              label={t('customers.history')}
              active={tab}
              onChange={setTab}
              tabs={[
                { id: 'timeline', label: t('customers.tab.timeline') },
                { id: 'orders', label: t('customers.tab.orders'), count: contact.orderCount || null },
                { id: 'tickets', label: t('customers.tab.tickets') },
                { id: 'deals', label: t('customers.tab.deals') },
              ]}
            />
          </div>
          {tab === 'timeline' && <Timeline contactId={id} version={historyVersion} people={lookups.people} currency={currency} />}
          {tab === 'orders' && <OrdersTab contactId={id} version={historyVersion} />}
          {tab === 'tickets' && <TicketsTab contactId={id} version={historyVersion} onChanged={changed} canWrite={canWrite && !readOnly} />}
          {tab === 'deals' && (
            <div class="flex flex-col items-center px-4 py-12 text-center">
              <div class="mb-4 grid size-12 place-items-center rounded-full bg-accent-soft text-accent-text">
                <Icon name="pipeline" class="size-6" />
              </div>
              <h3 class="text-base font-semibold">{t('customers.dealsEmptyTitle')}</h3>
              <p class="mt-1 max-w-md text-sm text-slate-500 dark:text-slate-400">{t('customers.dealsEmptyBody')}</p>
            </div>
          )}
        </Card>

        <Card class="min-w-0 self-start">
          <CardHeader title={t('customers.about')} />
          <dl class="divide-y divide-slate-100 px-4 py-1 sm:px-5 dark:divide-slate-800">
            <Row label={t('customers.field.givenName')}>{[contact.familyName, contact.givenName].filter(Boolean).join(' ') || null}</Row>
            <Row label={t('customers.field.gender')}>{contact.gender ? t(`gender.${contact.gender}`) : null}</Row>
            <Row label={t('customers.field.birthday')}>{contact.birthday}</Row>
            <Row label={t('customers.field.address')}>{address || null}</Row>
            <Row label={t('customers.col.source')}>{t(`source.${contact.source}`)}</Row>
            <Row label={t('customers.field.emailConsent')}>{contact.emailConsent ? t(contact.emailConsent.granted ? 'customers.consentYes' : 'customers.consentNo', { date: formatDate(contact.emailConsent.at) }) : null}</Row>
            <Row label={t('customers.field.smsConsent')}>{contact.smsConsent ? t(contact.smsConsent.granted ? 'customers.consentYes' : 'customers.consentNo', { date: formatDate(contact.smsConsent.at) }) : null}</Row>
            <Row label={t('customers.field.nationalId')}>{contact.nationalId}</Row>
            <Row label={t('customers.field.bankAccount')}>{contact.bankAccount}</Row>
            <Row label={t('customers.col.lastContacted')}>{contact.lastContactedAt ? formatDate(contact.lastContactedAt) : null}</Row>
            <Row label={t('customers.firstPurchase')}>{contact.firstPurchaseAt ? formatDate(contact.firstPurchaseAt) : null}</Row>
            {lookups.defs.map((def) => (
              <Row key={def.id} label={def.label}>
                {customValueText(def, contact.customFields[def.key])}
              </Row>
            ))}
            <Row label={t('customers.col.created')}>{formatDate(contact.createdAt)}</Row>
          </dl>
        </Card>
      </div>

      {erasing && (
        <EraseDialog
          contact={contact}
          onClose={() => setErasing(false)}
          onErased={() => {
            setErasing(false);
            changed();
          }}
        />
      )}
    </div>
  );
}

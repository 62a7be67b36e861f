import type { ComponentChildren } from 'preact';
import '../../lib/i18n/leads';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, InputField } from '../../components/Field';
import { ListStates } from '../../components/LoadMore';
import { AsyncList, EmptyState } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { can } from '../../lib/session';
import {
  CONTACT_TARGETS,
  createHookSource,
  createWebhook,
  deleteHookSource,
  deleteWebhook,
  listDeliveries,
  listHookSources,
  listWebhooks,
  replayDelivery,
  rotateHookSecret,
  rotateWebhookSecret,
  updateHookSource,
  updateWebhook,
  WEBHOOK_EVENTS,
  type Delivery,
  type HookSource,
  type HookSourceInput,
  type Webhook,
  type WebhookEvent,
} from './api';
import { RawPayload } from './common';
import { useLookups } from './lookups';
import { defaultRouting, Fieldset, RoutingFields } from './RoutingFields';

// ── a secret, once ──────────────────────────────────────────────────────────────────────────
function SecretDialog({ title, secret, children, onClose }: { title: string; secret: string; children?: ComponentChildren; onClose: () => void }) {
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={title}
      footer={
        <Button tone="primary" onClick={onClose}>
          {t('leads.hooks.secretDone')}
        </Button>
      }
    >
      <p class="mb-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">{t('leads.hooks.secretOnce')}</p>
      <div class="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-800/60">
        <code aria-label={t('leads.hooks.secret')} class="min-w-0 flex-1 font-mono text-sm break-all">
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      {children}
    </Dialog>
  );
}

/** How to sign a request to an inbound hook (and how to check ours): the same scheme both ways. */
function SigningInstructions({ url, secret }: { url: string; secret?: string }) {
  const key = secret ?? 'whsec_…';
  const node = [
    "import { createHmac, randomUUID } from 'node:crypto';",
    'const body = JSON.stringify({ email: "li.lei@example.com", name: "Li Lei" });',
    'const timestamp = Math.floor(Date.now() / 1000).toString();',
    `const signature = createHmac('sha256', '${key}').update(\`\${timestamp}.\${body}\`).digest('hex');`,
    `await fetch('${url}', {`,
    "  method: 'POST',",
    "  headers: { 'content-type': 'application/json', 'x-hearth-timestamp': timestamp,",
    "    'x-hearth-signature': `sha256=${signature}`, 'x-hearth-delivery': randomUUID() },",
    '  body,',
    '});',
  ].join('\n');
  return (
    <div class="mt-4 flex flex-col gap-2 text-sm">
      <h3 class="font-semibold">{t('leads.hooks.signingTitle')}</h3>
      <ol class="list-decimal space-y-1 pl-5 text-slate-600 dark:text-slate-300">
        <li>{t('leads.hooks.signing1')}</li>
        <li>{t('leads.hooks.signing2')}</li>
        <li>{t('leads.hooks.signing3')}</li>
        <li>{t('leads.hooks.signing4')}</li>
      </ol>
      <div class="flex items-center justify-between gap-2">
        <span class="font-medium">{t('leads.hooks.example')}</span>
        <CopyButton text={node} />
      </div>
      <pre class="max-h-64 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">{node}</pre>
    </div>
  );
}

// ── inbound sources ──────────────────────────────────────────────────────────────────────────
const emptySource = (): HookSourceInput => ({ name: '', fieldMapping: { email: 'contact.email', name: 'contact.name', phone: 'contact.phone' }, isActive: true, ...defaultRouting() });

function SourceDialog({ source, onClose, onSaved }: { source: HookSource | null; onClose: () => void; onSaved: (saved: HookSource & { secret?: string }) => void }) {
  const lookups = useLookups();
  const [value, setValue] = useState<HookSourceInput>(source ? { name: source.name, fieldMapping: source.fieldMapping, isActive: source.isActive, ownerRule: source.ownerRule, pipelineId: source.pipelineId, createDeal: source.createDeal, tagIds: source.tagIds, notifyUserIds: source.notifyUserIds, scoringRules: source.scoringRules } : emptySource());
  const [rows, setRows] = useState<[string, string][]>(Object.entries(value.fieldMapping));
  const submit = useSubmit(async () => {
    const input = { ...value, name: value.name.trim(), fieldMapping: Object.fromEntries(rows.filter(([from]) => from.trim()).map(([from, to]) => [from.trim(), to])) };
    onSaved(source ? await updateHookSource(source.id, input, source.version) : await createHookSource(input));
  });
  const targets = [...CONTACT_TARGETS.filter((x) => x !== 'none'), ...lookups.customFields.map((d) => `custom.${d.key}`)];
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={source ? t('leads.hooks.editSource', { name: source.name }) : t('leads.hooks.newSource')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} type="submit" form="hook-source-form">
            {source ? t('common.save') : t('leads.hooks.createSource')}
          </Button>
        </>
      }
    >
      <form
        id="hook-source-form"
        class="flex flex-col gap-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('field.name')} value={value.name} onInput={(e) => setValue({ ...value, name: e.currentTarget.value })} error={submit.field('name')} placeholder={t('leads.hooks.sourceNamePlaceholder')} />
        <Checkbox label={t('leads.hooks.active')} checked={value.isActive} onChange={(e) => setValue({ ...value, isActive: e.currentTarget.checked })} />
        <Fieldset legend={t('leads.hooks.mapping')} hint={t('leads.hooks.mappingHint')}>
          {submit.field('fieldMapping') && <p role="alert" class="text-sm font-medium text-red-600 dark:text-red-400">{submit.field('fieldMapping')}</p>}
          {rows.map(([from, to], i) => (
            <div key={i} class="flex flex-wrap items-end gap-2">
              <InputField fieldClass="min-w-40 flex-1" label={t('leads.hooks.incomingPath')} value={from} placeholder="person.email" onInput={(e) => setRows(rows.map((r, j) => (j === i ? [e.currentTarget.value, r[1]] : r)))} />
              <div class="min-w-40 flex-1">
                <label class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300" for={`map-${i}`}>
                  {t('leads.forms.mapTo')}
                </label>
                <select id={`map-${i}`} class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900" value={to} onChange={(e) => setRows(rows.map((r, j) => (j === i ? [r[0], e.currentTarget.value] : r)))}>
                  {targets.map((target) => (
                    <option key={target} value={target}>
                      {target.startsWith('custom.') ? t('leads.forms.customTarget', { label: lookups.customFields.find((d) => `custom.${d.key}` === target)?.label ?? target }) : t(`leads.forms.target.${target as (typeof CONTACT_TARGETS)[number]}`)}
                    </option>
                  ))}
                </select>
              </div>
              <Button tone="ghost" icon="trash" aria-label={t('leads.hooks.removeMapping')} onClick={() => setRows(rows.filter((_, j) => j !== i))} />
            </div>
          ))}
          <div>
            <Button size="sm" icon="plus" onClick={() => setRows([...rows, ['', 'contact.email']])}>
              {t('leads.hooks.addMapping')}
            </Button>
          </div>
        </Fieldset>
        <Fieldset legend={t('leads.forms.routing')} hint={t('leads.forms.routingHint')}>
          <RoutingFields value={value} onChange={(routing) => setValue({ ...value, ...routing })} fieldNames={rows.map(([from]) => from).filter(Boolean)} lookups={lookups} field={submit.field} />
        </Fieldset>
      </form>
    </Dialog>
  );
}

function InboundTab() {
  const [tick, setTick] = useState(0);
  const sources = useAsync((signal) => listHookSources(signal), [tick]);
  const [editing, setEditing] = useState<HookSource | 'new' | null>(null);
  const [secret, setSecret] = useState<{ name: string; url: string; secret: string } | null>(null);
  const [instructions, setInstructions] = useState<HookSource | null>(null);
  const editable = can('webhooks:write');
  const reload = () => setTick((n) => n + 1);
  const rotate = async (source: HookSource) => {
    const ok = await confirmAction({ title: t('leads.hooks.rotateTitle', { name: source.name }), body: t('leads.hooks.rotateBody'), confirmLabel: t('leads.hooks.rotate') });
    if (!ok) return;
    try {
      const rotated = await rotateHookSecret(source.id);
      setSecret({ name: rotated.name, url: rotated.url, secret: rotated.secret });
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const remove = async (source: HookSource) => {
    const ok = await confirmAction({ title: t('leads.hooks.deleteSourceTitle', { name: source.name }), body: t('leads.hooks.deleteSourceBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteHookSource(source.id, source.version);
      toast(t('leads.hooks.deleted', { name: source.name }));
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const newButton = editable && (
    <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
      {t('leads.hooks.newSource')}
    </Button>
  );
  return (
    <>
      <CardHeader title={t('leads.hooks.inbound')} description={t('leads.hooks.inboundHint')} actions={newButton} />
      <AsyncList state={sources} empty={<EmptyState icon="download" title={t('leads.hooks.noSources')} body={t('leads.hooks.noSourcesBody')} />}>
        {(data) => (
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('leads.hooks.inbound')}>
            {data.items.map((source) => (
              <li key={source.id} class="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-5">
                <div class="min-w-0 flex-1 basis-64">
                  <div class="flex flex-wrap items-center gap-2">
                    <span class="font-medium">{source.name}</span>
                    {source.isActive ? <Badge tone="green">{t('leads.hooks.activeBadge')}</Badge> : <Badge>{t('leads.forms.paused')}</Badge>}
                  </div>
                  <div class="mt-0.5 flex min-w-0 items-center gap-2">
                    <code class="min-w-0 truncate font-mono text-xs text-slate-500 dark:text-slate-400">{source.url}</code>
                  </div>
                  <div class="text-xs text-slate-500 dark:text-slate-400">{t('leads.hooks.mappedCount', { count: Object.keys(source.fieldMapping).length })}</div>
                </div>
                <div class="flex flex-wrap gap-1">
                  <CopyButton text={source.url} label={t('leads.hooks.copyUrl')} />
                  <Button size="sm" tone="ghost" icon="book" onClick={() => setInstructions(source)}>
                    {t('leads.hooks.howToSign')}
                  </Button>
                  {editable && (
                    <>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(source)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="key" onClick={() => void rotate(source)}>
                        {t('leads.hooks.rotate')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="trash" onClick={() => void remove(source)} aria-label={t('leads.hooks.deleteSourceTitle', { name: source.name })} />
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </AsyncList>
      {editing && (
        <SourceDialog
          source={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            reload();
            if (saved.secret) setSecret({ name: saved.name, url: saved.url, secret: saved.secret });
            else toast(t('leads.hooks.saved', { name: saved.name }));
          }}
        />
      )}
      {secret && (
        <SecretDialog title={t('leads.hooks.secretTitle', { name: secret.name })} secret={secret.secret} onClose={() => setSecret(null)}>
          <SigningInstructions url={secret.url} secret={secret.secret} />
        </SecretDialog>
      )}
      {instructions && (
        <Dialog open wide onClose={() => setInstructions(null)} title={t('leads.hooks.howToSignFor', { name: instructions.name })}>
          <p class="text-sm text-slate-600 dark:text-slate-300">{t('leads.hooks.secretLost')}</p>
          <SigningInstructions url={instructions.url} />
        </Dialog>
      )}
    </>
  );
}

// ── outgoing subscriptions ───────────────────────────────────────────────────────────────────
function WebhookDialog({ webhook, onClose, onSaved }: { webhook: Webhook | null; onClose: () => void; onSaved: (saved: Webhook & { secret?: string }) => void }) {
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [events, setEvents] = useState<WebhookEvent[]>(webhook?.events ?? ['lead.created']);
  const [isActive, setActive] = useState(webhook?.isActive ?? true);
  const submit = useSubmit(async () => {
    const input = { url: url.trim(), description: description.trim() || null, events, isActive };
    onSaved(webhook ? await updateWebhook(webhook.id, input, webhook.version) : await createWebhook(input));
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={webhook ? t('leads.hooks.editWebhook') : t('leads.hooks.newWebhook')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} type="submit" form="webhook-form">
            {webhook ? t('common.save') : t('leads.hooks.subscribe')}
          </Button>
        </>
      }
    >
      <form
        id="webhook-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('leads.hooks.url')} type="url" inputMode="url" placeholder="https://example.com/hearth-events" value={url} onInput={(e) => setUrl(e.currentTarget.value)} error={submit.field('url')} />
        <InputField label={t('leads.hooks.descriptionField')} value={description} onInput={(e) => setDescription(e.currentTarget.value)} error={submit.field('description')} />
        <div role="group" aria-label={t('leads.hooks.events')}>
          <div class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('leads.hooks.events')}</div>
          <div class="grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENTS.map((ev) => (
              <Checkbox key={ev} label={<span class="font-mono text-xs">{ev}</span>} checked={events.includes(ev)} onChange={(e) => setEvents(e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev))} />
            ))}
          </div>
          {submit.field('events') && <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">{submit.field('events')}</p>}
        </div>
        <Checkbox label={t('leads.hooks.active')} checked={isActive} onChange={(e) => setActive(e.currentTarget.checked)} />
      </form>
    </Dialog>
  );
}

const DELIVERY_TONES = { pending: 'amber', delivered: 'green', failed: 'red' } as const;

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const state = useLoadMore((cursor, signal) => listDeliveries(webhook.id, cursor, signal), [webhook.id]);
  const [busy, setBusy] = useState('');
  const replay = async (d: Delivery) => {
    setBusy(d.id);
    try {
      const next = await replayDelivery(d.id);
      state.update((items) => items.map((x) => (x.id === d.id ? { ...x, ...next } : x)));
      toast(t('leads.hooks.replayed'));
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setBusy('');
    }
  };
  return (
    <ListStates state={state} empty={<EmptyState icon="mail" title={t('leads.hooks.noDeliveries')} body={t('leads.hooks.noDeliveriesBody')} />}>
      <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('leads.hooks.deliveries')}>
        {state.items.map((d) => (
          <li key={d.id} class="py-3">
            <div class="flex flex-wrap items-center gap-2">
              <span class="font-mono text-xs">{d.event}</span>
              <Badge tone={DELIVERY_TONES[d.status]}>{t(`leads.hooks.delivery.${d.status}`)}</Badge>
              {d.responseStatus !== null && <span class="text-xs text-slate-500 dark:text-slate-400">HTTP {d.responseStatus}</span>}
              <span class="text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(d.createdAt)}>
                {formatRelative(d.createdAt)} · {t('leads.attempts', { count: d.attempts })}
              </span>
              {can('webhooks:write') && (
                <Button size="sm" icon="refresh" class="ml-auto" busy={busy === d.id} onClick={() => void replay(d)}>
                  {t('leads.hooks.replay')}
                </Button>
              )}
            </div>
            {d.lastError && <p class="mt-1 text-xs break-words text-red-700 dark:text-red-400">{d.lastError}</p>}
            <details class="mt-1">
              <summary class="cursor-pointer text-xs font-medium text-accent-text">{t('leads.hooks.payload')}</summary>
              <div class="mt-2">
                <RawPayload value={d.payload} label={t('leads.hooks.payload')} />
              </div>
              {d.responseBody && <pre class="mt-2 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap break-all dark:bg-slate-800">{d.responseBody}</pre>}
            </details>
          </li>
        ))}
      </ul>
    </ListStates>
  );
}

function OutgoingTab() {
  const [tick, setTick] = useState(0);
  const hooks = useAsync((signal) => listWebhooks(signal), [tick]);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const editable = can('webhooks:write');
  const reload = () => setTick((n) => n + 1);
  const rotate = async (hook: Webhook) => {
    const ok = await confirmAction({ title: t('leads.hooks.rotateTitle', { name: hook.url }), body: t('leads.hooks.rotateOutBody'), confirmLabel: t('leads.hooks.rotate') });
    if (!ok) return;
    try {
      const rotated = await rotateWebhookSecret(hook.id);
      setSecret({ url: rotated.url, secret: rotated.secret });
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const remove = async (hook: Webhook) => {
    const ok = await confirmAction({ title: t('leads.hooks.deleteWebhookTitle'), body: hook.url, confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteWebhook(hook.id, hook.version);
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const newButton = editable && (
    <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
      {t('leads.hooks.newWebhook')}
    </Button>
  );
  return (
    <>
      <CardHeader title={t('leads.hooks.outgoing')} description={t('leads.hooks.outgoingHint')} actions={newButton} />
      <AsyncList state={hooks} empty={<EmptyState icon="globe" title={t('leads.hooks.noWebhooks')} body={t('leads.hooks.noWebhooksBody')} />}>
        {(data) => (
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('leads.hooks.outgoing')}>
            {data.items.map((hook) => (
              <li key={hook.id} class="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-5">
                <div class="min-w-0 flex-1 basis-64">
                  <div class="flex flex-wrap items-center gap-2">
                    <span class="min-w-0 font-mono text-sm break-all">{hook.url}</span>
                    {hook.isActive ? <Badge tone="green">{t('leads.hooks.activeBadge')}</Badge> : <Badge>{t('leads.forms.paused')}</Badge>}
                  </div>
                  {hook.description && <div class="text-sm text-slate-600 dark:text-slate-300">{hook.description}</div>}
                  <div class="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{hook.events.join(' · ')}</div>
                </div>
                <div class="flex flex-wrap gap-1">
                  <Button size="sm" icon="list" onClick={() => setLog(hook)}>
                    {t('leads.hooks.deliveries')}
                  </Button>
                  {editable && (
                    <>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(hook)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="key" onClick={() => void rotate(hook)}>
                        {t('leads.hooks.rotate')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="trash" onClick={() => void remove(hook)} aria-label={t('leads.hooks.deleteWebhookTitle')} />
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </AsyncList>
      {editing && (
        <WebhookDialog
          webhook={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            reload();
            if (saved.secret) setSecret({ url: saved.url, secret: saved.secret });
            else toast(t('leads.hooks.webhookSaved'));
          }}
        />
      )}
      {secret && (
        <SecretDialog title={t('leads.hooks.webhookSecretTitle')} secret={secret.secret} onClose={() => setSecret(null)}>
          <p class="mt-3 text-sm text-slate-600 dark:text-slate-300">{t('leads.hooks.verifyHint')}</p>
        </SecretDialog>
      )}
      {log && (
        <Dialog open wide onClose={() => setLog(null)} title={t('leads.hooks.deliveriesFor', { url: log.url })}>
          <DeliveryLog webhook={log} />
        </Dialog>
      )}
    </>
  );
}

/** Settings → Webhooks: inbound lead sources (signed server-to-server posts) and outgoing event subscriptions. */
export function WebhooksSettingsPage() {
  const { query, route } = useLocation();
  const tab = query.tab === 'outgoing' ? 'outgoing' : 'inbound';
  return (
    <>
      <PageHeader title={t('leads.hooks.title')} description={t('leads.hooks.description')} />
      <Card>
        <div class="border-b border-slate-200 px-2 sm:px-3 dark:border-slate-800">
          <Tabs
            label={t('leads.hooks.title')}
            tabs={[
              { id: 'inbound', label: t('leads.hooks.inbound') },
              { id: 'outgoing', label: t('leads.hooks.outgoing') },
            ]}
            active={tab}
            onChange={(id) => route(`/settings/webhooks${id === 'outgoing' ? '?tab=outgoing' : ''}`, true)}
          />
        </div>
        {tab === 'inbound' ? <InboundTab /> : <OutgoingTab />}
      </Card>
    </>
  );
}

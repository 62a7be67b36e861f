import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { customValueText } from '../../components/CustomFieldInputs';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { ErrorState, Loading } from '../../components/States';
import { TagChip } from '../../components/TagPicker';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { useMediaQuery } from '../../lib/media';
import { t } from '../../lib/i18n';
import { me } from '../../lib/session';
import { ADDRESS_PARTS, getContact, mergeContacts, type Contact, type Tag } from './api';
import { isNotFound, NotFound } from './common';
import { LIFECYCLE_TONE, lifecycleLabel } from './labels';
import { useLookups } from './lookups';

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const pick = <T,>(target: T, source: T): T => (empty(target) ? source : target);
const union = <T,>(a: T[], b: T[], key: (x: T) => string = String) => [...a, ...b.filter((x) => !a.some((y) => key(y) === key(x)))];
const addressText = (c: Contact) => ADDRESS_PARTS.map((p) => c.address[p]).filter(Boolean).join(' ');

/** `values`: the two raw values, so that a field empty on both sides can be left out. */
type RowSpec = { label: string; target: ComponentChildren; source: ComponentChildren; result: ComponentChildren; fromSource?: boolean; values?: [unknown, unknown] };

function Lines({ items }: { items: string[] }) {
  if (items.length === 0) return <span class="text-slate-400">—</span>;
  return (
    <span class="flex flex-col">
      {items.map((x) => (
        <span key={x} class="break-all">
          {x}
        </span>
      ))}
    </span>
  );
}

function Tags({ tags }: { tags: Tag[] }) {
  if (tags.length === 0) return <span class="text-slate-400">—</span>;
  return (
    <span class="flex flex-wrap gap-1">
      {tags.map((tag) => (
        <TagChip key={tag.id} tag={tag} />
      ))}
    </span>
  );
}

const show = (v: ComponentChildren) => (v === null || v === undefined || v === '' ? <span class="text-slate-400">—</span> : v);

/**
 * `/customers/:id/merge?source=…`: the two records side by side and the one that results. The
 * record in the path stays; the other one's history, tags, phones and emails move into it.
 */
export function MergePage({ id }: { id: string }) {
  const { query, route } = useLocation();
  const sourceId = query.source ?? '';
  const lookups = useLookups();
  const currency = me.value?.workspace.currency ?? 'CNY';
  const isWide = useMediaQuery('(min-width: 768px)');
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const state = useAsync((signal) => Promise.all([getContact(id, signal), getContact(sourceId, signal)]), [id, sourceId, version]);

  if (!sourceId || id === sourceId) return <NotFound />;
  if (state.error) return isNotFound(state.error) ? <NotFound /> : <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const [target, source] = state.data;

  const companyName = (c: Contact) => c.company?.name ?? null;
  const ownerName = (c: Contact) => c.owner?.name ?? null;
  const rows: RowSpec[] = [
    { label: t('field.name'), target: target.name, source: source.name, result: target.name },
    { label: t('customers.field.title'), values: [target.title, source.title], target: show(target.title), source: show(source.title), result: show(pick(target.title, source.title)), fromSource: empty(target.title) && !empty(source.title) },
    { label: t('customers.col.company'), values: [target.companyId, source.companyId], target: show(companyName(target)), source: show(companyName(source)), result: show(pick(companyName(target), companyName(source))), fromSource: empty(target.companyId) && !empty(source.companyId) },
    { label: t('customers.col.owner'), target: show(ownerName(target)), source: show(ownerName(source)), result: show(pick(ownerName(target), ownerName(source))), fromSource: empty(target.ownerId) && !empty(source.ownerId) },
    {
      label: t('customers.col.lifecycle'),
      target: <Badge tone={LIFECYCLE_TONE[target.lifecycle]}>{lifecycleLabel(target.lifecycle)}</Badge>,
      source: <Badge tone={LIFECYCLE_TONE[source.lifecycle]}>{lifecycleLabel(source.lifecycle)}</Badge>,
      result: <Badge tone={LIFECYCLE_TONE[target.lifecycle]}>{lifecycleLabel(target.lifecycle)}</Badge>,
    },
    { label: t('customers.col.phone'), target: <Lines items={target.phones} />, source: <Lines items={source.phones} />, result: <Lines items={union(target.phones, source.phones)} />, fromSource: source.phones.some((p) => !target.phones.includes(p)) },
    { label: t('customers.col.email'), values: [target.emails, source.emails], target: <Lines items={target.emails} />, source: <Lines items={source.emails} />, result: <Lines items={union(target.emails, source.emails)} />, fromSource: source.emails.some((e) => !target.emails.includes(e)) },
    { label: t('customers.field.address'), values: [addressText(target), addressText(source)], target: show(addressText(target)), source: show(addressText(source)), result: show(ADDRESS_PARTS.map((p) => pick(target.address[p], source.address[p])).filter(Boolean).join(' ')) },
    { label: t('customers.field.birthday'), values: [target.birthday, source.birthday], target: show(target.birthday), source: show(source.birthday), result: show(pick(target.birthday, source.birthday)), fromSource: empty(target.birthday) && !empty(source.birthday) },
    { label: t('customers.col.tags'), values: [target.tags, source.tags], target: <Tags tags={target.tags} />, source: <Tags tags={source.tags} />, result: <Tags tags={union(target.tags, source.tags, (x) => x.id)} />, fromSource: source.tags.some((x) => !target.tags.some((y) => y.id === x.id)) },
    ...lookups.defs.map((def) => {
      const a = target.customFields[def.key];
      const b = source.customFields[def.key];
      return { label: def.label, values: [a, b] as [unknown, unknown], target: show(customValueText(def, a)), source: show(customValueText(def, b)), result: show(customValueText(def, pick(a, b))), fromSource: empty(a) && !empty(b) };
    }),
    {
      label: t('merge.purchases'),
      target: t('merge.purchaseLine', { orders: target.orderCount, total: formatMoney(target.totalSpent, currency) }),
      source: t('merge.purchaseLine', { orders: source.orderCount, total: formatMoney(source.totalSpent, currency) }),
      result: t('merge.purchaseLine', { orders: target.orderCount + source.orderCount, total: formatMoney(target.totalSpent + source.totalSpent, currency) }),
    },
    { label: t('customers.col.created'), target: formatDate(target.createdAt), source: formatDate(source.createdAt), result: formatDate(target.createdAt) },
  ];

  const shownRows = rows.filter((r) => !r.values || r.values.some((v) => !empty(v)));

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const merged = await mergeContacts(target.id, target.version, source.id);
      toast(t('merge.done', { source: source.name, target: merged.name }));
      route(`/customers/${merged.id}`, true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const heading = (c: Contact, label: string) => (
    <span class="flex min-w-0 flex-col">
      <span class="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</span>
      <a href={`/customers/${c.id}`} class="truncate font-semibold hover:underline">
        {c.name}
      </a>
    </span>
  );

  return (
    <div class="flex flex-col gap-5">
      <PageHeader
        title={t('merge.title')}
        description={t('merge.body', { source: source.name, target: target.name })}
        actions={
          <Button icon="refresh" onClick={() => route(`/customers/${source.id}/merge?source=${target.id}`, true)}>
            {t('merge.swap')}
          </Button>
        }
      />
      {error ? (
        <div class="flex flex-col gap-2">
          <FormError message={messageFor(error)} />
          <div>
            <Button size="sm" icon="refresh" onClick={() => setVersion((v) => v + 1)}>
              {t('common.reload')}
            </Button>
          </div>
        </div>
      ) : null}
      <Card>
        <CardHeader title={t('merge.compare')} description={t('merge.compareBody')} />
        {isWide ? (
          <div class="overflow-x-auto">
            <table class="w-full table-fixed text-left text-sm">
              <thead class="border-b border-slate-200 dark:border-slate-800">
                <tr>
                  <th scope="col" class="w-32 px-4 py-3 sm:pl-5" />
                  <th scope="col" class="px-4 py-3 font-normal">
                    {heading(target, t('merge.stays'))}
                  </th>
                  <th scope="col" class="px-4 py-3 font-normal">
                    {heading(source, t('merge.mergedIn'))}
                  </th>
                  <th scope="col" class="bg-accent-soft px-4 py-3 sm:pr-5">
                    <span class="text-xs font-medium tracking-wide text-accent-text uppercase">{t('merge.result')}</span>
                  </th>
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                {shownRows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row" class="px-4 py-2.5 align-top font-medium text-slate-500 sm:pl-5 dark:text-slate-400">
                      {r.label}
                    </th>
                    <td class="px-4 py-2.5 align-top break-words">{r.target}</td>
                    <td class="px-4 py-2.5 align-top break-words">{r.source}</td>
                    <td class="bg-accent-soft px-4 py-2.5 align-top break-words sm:pr-5">
                      {r.result}
                      {r.fromSource && <span class="mt-0.5 block text-xs text-accent-text">{t('merge.fromSource')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          // On a phone each field is a small card: the result first, then where it comes from.
          <div class="flex flex-col">
            <div class="grid grid-cols-2 gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
              {heading(target, t('merge.stays'))}
              {heading(source, t('merge.mergedIn'))}
            </div>
            <dl class="divide-y divide-slate-100 dark:divide-slate-800">
              {shownRows.map((r) => (
                <div key={r.label} class="px-4 py-3 text-sm">
                  <dt class="text-xs font-medium text-slate-500 dark:text-slate-400">{r.label}</dt>
                  <dd class="mt-1 rounded-md bg-accent-soft px-2 py-1.5 break-words">
                    {r.result}
                    {r.fromSource && <span class="mt-0.5 block text-xs text-accent-text">{t('merge.fromSource')}</span>}
                  </dd>
                  <dd class="mt-1.5 grid grid-cols-2 gap-3 text-xs text-slate-600 dark:text-slate-400">
                    <span class="min-w-0 break-words">{r.target}</span>
                    <span class="min-w-0 break-words">{r.source}</span>
                  </dd>
                </div>
              ))}
            </dl>
          </div>
        )}
      </Card>
      <Card>
        <div class="flex flex-col gap-2 p-4 text-sm sm:p-5">
          <p class="flex items-start gap-2">
            <Icon name="check" class="mt-0.5 size-4 shrink-0 text-emerald-600" />
            {t('merge.keepsHistory', { source: source.name })}
          </p>
          <p class="flex items-start gap-2">
            <Icon name="check" class="mt-0.5 size-4 shrink-0 text-emerald-600" />
            {t('merge.keepsConsent')}
          </p>
          <p class="flex items-start gap-2 text-slate-500 dark:text-slate-400">
            <Icon name="alert" class="mt-0.5 size-4 shrink-0" />
            {t('merge.irreversible', { source: source.name })}
          </p>
        </div>
      </Card>
      <div class="flex flex-wrap justify-end gap-2">
        <ButtonLink href={`/customers/${target.id}`}>{t('common.cancel')}</ButtonLink>
        <Button tone="primary" icon="merge" busy={busy} onClick={() => void confirm()}>
          {t('merge.confirm', { target: target.name })}
        </Button>
      </div>
    </div>
  );
}

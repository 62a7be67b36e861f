import '../../lib/i18n/customers';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, inputClass, InputField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { td, Table } from '../../components/Table';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatMoney, inputToMinor, minorToInput } from '../../lib/format';
import { useDebounced, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { can, me } from '../../lib/session';
import { createProduct, listProducts, updateProduct, type Product, type ProductInput } from './api';

function ProductDialog({ product, onClose, onSaved }: { product: Product | null; onClose: () => void; onSaved: () => void }) {
  const workspaceCurrency = me.value?.workspace.currency ?? 'CNY';
  const [name, setName] = useState(product?.name ?? '');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [series, setSeries] = useState(product?.series ?? '');
  const [currency, setCurrency] = useState(product?.currency ?? workspaceCurrency);
  const [price, setPrice] = useState(product ? minorToInput(product.unitPrice, product.currency) : '');
  const [isActive, setActive] = useState(product?.isActive ?? true);
  const [priceInvalid, setPriceInvalid] = useState(false);
  const submit = useSubmit(async () => {
    const unitPrice = inputToMinor(price, currency.toUpperCase());
    setPriceInvalid(unitPrice === null);
    if (unitPrice === null) return;
    const input: ProductInput = { name, sku: sku.trim() || null, series: series.trim() || null, unitPrice, currency: currency.trim().toUpperCase(), isActive };
    if (product) await updateProduct(product, input);
    else await createProduct(input);
    toast(t(product ? 'products.saved' : 'products.created', { name }));
    onSaved();
  });
  const nameError = submit.field('name');
  return (
    <Dialog
      open
      onClose={onClose}
      title={product ? t('products.editTitle', { name: product.name }) : t('products.newTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="product-form" tone="primary" busy={submit.busy}>
            {product ? t('common.save') : t('products.create')}
          </Button>
        </>
      }
    >
      <form
        id="product-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('products.name')} value={name} onInput={(e) => setName(e.currentTarget.value)} error={nameError} autoFocus />
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('products.sku')} value={sku} onInput={(e) => setSku(e.currentTarget.value)} error={submit.field('sku')} />
          <InputField label={t('products.series')} value={series} onInput={(e) => setSeries(e.currentTarget.value)} error={submit.field('series')} />
          <InputField
            label={t('products.price')}
            inputMode="decimal"
            value={price}
            placeholder="0.00"
            onInput={(e) => setPrice(e.currentTarget.value)}
            error={priceInvalid || submit.field('unitPrice') ? t('products.priceInvalid') : undefined}
          />
          <InputField label={t('field.currency')} value={currency} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())} error={submit.field('currency')} />
        </div>
        <Checkbox label={t('products.activeLabel')} checked={isActive} onChange={(e) => setActive(e.currentTarget.checked)} />
      </form>
    </Dialog>
  );
}

/** Settings → products: the catalog orders are recorded from. Everyone sees it; admins change it. */
export function ProductsPage() {
  const canEdit = can('products:write');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [status, setStatus] = useState('true');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const list = useLoadMore((cursor, signal) => listProducts({ q: q || undefined, isActive: status || undefined }, cursor, signal), [q, status, version]);

  const toggleActive = async (p: Product) => {
    try {
      const saved = await updateProduct(p, { isActive: !p.isActive });
      toast(t(saved.isActive ? 'products.activated' : 'products.deactivated', { name: p.name }));
      setVersion((v) => v + 1);
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const newButton = canEdit && (
    <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
      {t('products.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('settings.products')} description={t('products.description')} actions={newButton} />
      <Card>
        <div class="flex flex-col gap-3 border-b border-slate-200 p-4 sm:flex-row sm:items-center sm:px-5 dark:border-slate-800">
          <label class="relative min-w-0 flex-1">
            <span class="sr-only">{t('products.search')}</span>
            <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-400">
              <Icon name="search" class="size-4" />
            </span>
            <input type="search" class={`${inputClass} pl-9`} placeholder={t('products.search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <label class="sm:w-44">
            <span class="sr-only">{t('field.status')}</span>
            <select class={inputClass} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="true">{t('products.active')}</option>
              <option value="false">{t('products.inactive')}</option>
              <option value="">{t('products.all')}</option>
            </select>
          </label>
        </div>
        {list.error && list.items.length === 0 ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.loaded ? (
          <Loading />
        ) : list.items.length === 0 ? (
          q || status !== 'true' ? (
            <EmptyState icon="search" title={t('products.noMatchTitle')} body={t('products.noMatchBody')} />
          ) : (
            <EmptyState icon="box" title={t('products.emptyTitle')} body={t('products.emptyBody')} action={newButton} />
          )
        ) : (
          <div class={list.loading ? 'opacity-60 transition-opacity' : ''}>
            <Table label={t('settings.products')} columns={[t('products.name'), t('products.sku'), t('products.series'), <span class="block text-right">{t('products.price')}</span>, t('field.status'), ...(canEdit ? [<span class="sr-only">{t('common.actions')}</span>] : [])]}>
              {list.items.map((p) => (
                <tr key={p.id}>
                  <td class={`${td} font-medium`}>{p.name}</td>
                  <td class={`${td} font-mono text-xs`}>{p.sku ?? '—'}</td>
                  <td class={td}>{p.series ?? '—'}</td>
                  <td class={`${td} text-right tabular-nums`}>{formatMoney(p.unitPrice, p.currency)}</td>
                  <td class={td}>{p.isActive ? <Badge tone="green">{t('products.active')}</Badge> : <Badge>{t('products.inactive')}</Badge>}</td>
                  {canEdit && (
                    <td class={`${td} text-right`}>
                      <Button size="sm" tone="ghost" icon="edit" onClick={() => setEditing(p)} aria-label={t('products.editTitle', { name: p.name })}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" onClick={() => void toggleActive(p)}>
                        {p.isActive ? t('products.deactivate') : t('products.activate')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
            {list.hasMore && (
              <div class="flex justify-center border-t border-slate-200 p-4 dark:border-slate-800">
                <Button busy={list.loadingMore} onClick={list.more}>
                  {t('customers.loadMore')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Card>
      {editing && (
        <ProductDialog
          product={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}

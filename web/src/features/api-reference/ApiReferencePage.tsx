import { useMemo, useState } from 'preact/hooks';
import { Badge, Card, PageHeader } from '../../components/Card';
import { inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useAsync } from '../../lib/hooks';
import { t, tMaybe } from '../../lib/i18n';
import { getOpenApi, type JsonSchema, type OpenApiDocument, type Operation, type Parameter } from './api';

const METHOD_TONES: Record<string, string> = {
  get: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  post: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  patch: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  put: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  delete: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
};

type Endpoint = { method: string; path: string; op: Operation };

function typeOf(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map(typeOf).join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  const base = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'object');
  return s.format ? `${base} (${s.format})` : base;
}

function constraintsOf(s: JsonSchema | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const inner = s.anyOf?.find((x) => x.type !== 'null') ?? s;
  if (inner.minLength !== undefined) out.push(`minLength ${inner.minLength}`);
  if (inner.maxLength !== undefined) out.push(`maxLength ${inner.maxLength}`);
  if (inner.minimum !== undefined) out.push(`≥ ${inner.minimum}`);
  if (inner.maximum !== undefined) out.push(`≤ ${inner.maximum}`);
  if (inner.minItems !== undefined) out.push(`minItems ${inner.minItems}`);
  if (inner.maxItems !== undefined && inner.maxItems < 1000) out.push(`maxItems ${inner.maxItems}`);
  if (inner.pattern) out.push(`pattern ${inner.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

type Row = { name: string; where?: string; required: boolean; schema?: JsonSchema };

/** Object properties, one level of nesting spelled out as `parent.child`. */
function bodyRows(schema: JsonSchema, prefix = '', depth = 0): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, prop]) => {
    const row: Row = { name: prefix + name, required: required.has(name), schema: prop };
    return prop.properties && depth < 1 ? [row, ...bodyRows(prop, `${prefix}${name}.`, depth + 1)] : [row];
  });
}

function FieldTable({ rows, showWhere }: { rows: Row[]; showWhere?: boolean }) {
  return (
    <div class="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table class="min-w-full text-left text-xs">
        <thead class="bg-slate-50 text-slate-500 dark:bg-slate-800/60 dark:text-slate-400">
          <tr>
            <th scope="col" class="px-3 py-1.5 font-medium">
              {t('apiRef.name')}
            </th>
            {showWhere && (
              <th scope="col" class="px-3 py-1.5 font-medium">
                {t('apiRef.in')}
              </th>
            )}
            <th scope="col" class="px-3 py-1.5 font-medium">
              {t('apiRef.type')}
            </th>
            <th scope="col" class="px-3 py-1.5 font-medium">
              {t('apiRef.rules')}
            </th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r) => (
            <tr key={`${r.where}-${r.name}`}>
              <td class="px-3 py-1.5 font-mono whitespace-nowrap">
                {r.name}
                {r.required && (
                  <span class="ml-1 text-red-600 dark:text-red-400" title={t('apiRef.required')}>
                    *
                  </span>
                )}
              </td>
              {showWhere && <td class="px-3 py-1.5 text-slate-500 dark:text-slate-400">{r.where}</td>}
              <td class="max-w-64 px-3 py-1.5 font-mono break-words text-slate-700 dark:text-slate-300">{typeOf(r.schema)}</td>
              <td class="min-w-40 px-3 py-1.5 break-words text-slate-500 dark:text-slate-400">{constraintsOf(r.schema).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EndpointCard({ endpoint }: { endpoint: Endpoint }) {
  const { method, path, op } = endpoint;
  const params: Row[] = (op.parameters ?? []).map((p: Parameter) => ({ name: p.name, where: p.in, required: Boolean(p.required), schema: p.schema }));
  const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  const body = media ? bodyRows(media.schema) : [];
  const status = Object.keys(op.responses ?? {}).find((s) => s.startsWith('2'));
  return (
    <details class="group border-t border-slate-200 first:border-t-0 dark:border-slate-800">
      <summary class="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 sm:px-5 dark:hover:bg-slate-800/40">
        <Icon name="right" class="size-4 shrink-0 text-slate-400 transition group-open:rotate-90" />
        <span class={`w-16 rounded-md px-2 py-0.5 text-center font-mono text-xs font-semibold uppercase ${METHOD_TONES[method] ?? 'bg-slate-100 dark:bg-slate-800'}`}>{method}</span>
        <code class="min-w-0 font-mono text-sm break-all">{path}</code>
        <span class="min-w-0 flex-1 basis-full text-sm text-slate-500 sm:basis-auto dark:text-slate-400">{op.summary}</span>
        {!op.security && <Badge tone="green">{t('apiRef.public')}</Badge>}
      </summary>
      <div class="flex flex-col gap-4 px-4 pb-4 sm:px-5">
        {params.length > 0 && (
          <section>
            <h4 class="mb-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('apiRef.parameters')}</h4>
            <FieldTable rows={params} showWhere />
          </section>
        )}
        {media && (
          <section>
            <h4 class="mb-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {t('apiRef.body')} <span class="font-mono font-normal normal-case">{contentType}</span>
            </h4>
            {body.length ? <FieldTable rows={body} /> : <p class="text-xs text-slate-500">{typeOf(media.schema)}</p>}
          </section>
        )}
        {params.length === 0 && !media && <p class="text-xs text-slate-500 dark:text-slate-400">{t('apiRef.noInput')}</p>}
        {status && (
          <p class="text-xs text-slate-500 dark:text-slate-400">
            {t('apiRef.success', { status })} · {t('apiRef.errors')}
          </p>
        )}
      </div>
    </details>
  );
}

function groupByTag(doc: OpenApiDocument, filter: string) {
  const groups = new Map<string, Endpoint[]>();
  const needle = filter.trim().toLowerCase();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (needle && !`${method} ${path} ${op.summary ?? ''}`.toLowerCase().includes(needle)) continue;
      const tag = op.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function ApiReferencePage() {
  const state = useAsync((signal) => getOpenApi(signal));
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => (state.data ? groupByTag(state.data, filter) : []), [state.data, filter]);
  const tagLabel = (tag: string) => tMaybe(`apiRef.tag.${tag}`, tMaybe(`area.${tag.replace('-', '_')}`, tag));

  return (
    <>
      <PageHeader
        title={t('settings.api')}
        description={t('apiRef.description')}
        actions={
          <a href="/api/v1/openapi.json" target="_blank" rel="noopener" class="inline-flex items-center gap-1.5 text-sm font-medium text-accent-text hover:underline">
            openapi.json
          </a>
        }
      />
      {state.error ? (
        <Card>
          <ErrorState error={state.error} onRetry={state.reload} />
        </Card>
      ) : !state.data ? (
        <Card>
          <Loading />
        </Card>
      ) : (
        <div class="flex flex-col gap-5">
          <Card class="p-4 sm:p-5">
            <p class="text-sm text-slate-600 dark:text-slate-300">{t('apiRef.conventions')}</p>
            <label class="relative mt-3 block">
              <span class="sr-only">{t('apiRef.search')}</span>
              <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-400">
                <Icon name="search" class="size-4" />
              </span>
              <input type="search" class={`${inputClass} pl-9`} placeholder={t('apiRef.search')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            </label>
            <nav class="mt-3 flex flex-wrap gap-1.5" aria-label={t('apiRef.tags')}>
              {groups.map(([tag, endpoints]) => (
                <a key={tag} href={`#tag-${tag}`} class="rounded-md bg-slate-100 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-accent-soft hover:text-accent-text dark:bg-slate-800 dark:text-slate-300">
                  {tagLabel(tag)} <span class="text-slate-400">{endpoints.length}</span>
                </a>
              ))}
            </nav>
          </Card>
          {groups.length === 0 && (
            <Card>
              <EmptyState icon="search" title={t('apiRef.noMatch')} />
            </Card>
          )}
          {groups.map(([tag, endpoints]) => (
            <Card key={tag}>
              <h2 id={`tag-${tag}`} class="scroll-mt-20 border-b border-slate-200 px-4 py-3 text-base font-semibold sm:px-5 dark:border-slate-800">
                {tagLabel(tag)} <span class="ml-1 font-mono text-xs font-normal text-slate-400">{tag}</span>
              </h2>
              {endpoints.map((e) => (
                <EndpointCard key={`${e.method} ${e.path}`} endpoint={e} />
              ))}
            </Card>
          ))}
        </div>
      )}
    </>
  );
}

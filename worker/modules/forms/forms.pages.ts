import type { FieldError } from '../../lib/errors';
import type { Fields, PublicForm } from './forms.intake';
import { text } from './forms.intake';

// The public pages of a form: plain HTML, a few KB, no SPA. Strings in the form's own language.

const strings = {
  en: { submit: 'Send', fix: 'Please correct the following:', thanks: 'Thank you!', thanksBody: 'We received your message and will get back to you soon.', notFound: 'This form does not exist or is closed.', tooMany: 'Too many submissions. Please wait a minute and try again.', tooLarge: 'What you sent is too large.', problem: 'Something went wrong. Please try again.', back: 'Back' },
  'zh-CN': { submit: '提交', fix: '请修改以下内容：', thanks: '感谢您的提交！', thanksBody: '我们已收到您的信息，会尽快与您联系。', notFound: '该表单不存在或已关闭。', tooMany: '提交过于频繁，请稍候一分钟再试。', tooLarge: '提交的内容过大。', problem: '出现问题，请重试。', back: '返回' },
} as const;
export type PageLocale = keyof typeof strings;
export const pageStrings = (locale: string) => strings[locale === 'en' ? 'en' : 'zh-CN'];

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:16px;color:#111;background:#fff}main{max-width:520px;margin:0 auto}
label{display:block;margin:12px 0 4px;font-weight:600}input,select,textarea{box-sizing:border-box;width:100%;padding:8px;border:1px solid #999;border-radius:6px;font:inherit}
input[type=checkbox]{width:auto;margin-right:8px}.check{display:flex;align-items:flex-start;font-weight:400}button{margin-top:16px;padding:10px 20px;border:0;border-radius:6px;background:#4f46e5;color:#fff;font:inherit;cursor:pointer}
.errors{border:1px solid #b91c1c;background:#fef2f2;color:#7f1d1d;padding:8px 12px;border-radius:6px}.err{color:#b91c1c;font-size:14px}.hp{position:absolute;left:-9999px}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}input,select,textarea{background:#222;color:#eee;border-color:#666}.errors{background:#3b0d0d;color:#fecaca}}`;

function page(locale: string, title: string, body: string): string {
  return `<!doctype html><html lang="${locale === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The inputs of a form, filled with what the visitor typed and with their errors beside them. */
export function formInputs(form: PublicForm, values: Fields, errors: FieldError[], renderedAt: number): string {
  const t = pageStrings(form.locale);
  const errorOf = (name: string) => errors.find((e) => e.field === name);
  const inputs = form.fields
    .map((f) => {
      const id = `hf-${escapeHtml(f.name)}`;
      const value = escapeHtml(text(values[f.name]));
      const err = errorOf(f.name);
      const aria = err ? ` aria-invalid="true" aria-describedby="${id}-err"` : '';
      const req = f.required ? ' required' : '';
      const errHtml = err ? `<div class="err" id="${id}-err">${escapeHtml(err.message)}</div>` : '';
      const label = `<label for="${id}">${escapeHtml(f.label)}${f.required ? ' *' : ''}</label>`;
      switch (f.type) {
        case 'hidden':
          return `<input type="hidden" name="${escapeHtml(f.name)}" value="${value}">`;
        case 'textarea':
          return `${label}<textarea id="${id}" name="${escapeHtml(f.name)}" rows="4"${req}${aria}>${value}</textarea>${errHtml}`;
        case 'select':
          return `${label}<select id="${id}" name="${escapeHtml(f.name)}"${req}${aria}><option value=""></option>${(f.options ?? []).map((o) => `<option${text(values[f.name]) === o ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('')}</select>${errHtml}`;
        case 'checkbox':
          return `<label class="check"><input type="checkbox" id="${id}" name="${escapeHtml(f.name)}" value="yes"${values[f.name] ? ' checked' : ''}${req}${aria}>${escapeHtml(f.label)}</label>${errHtml}`;
        default: {
          const type = f.type === 'email' ? 'email' : f.type === 'tel' ? 'tel' : 'text';
          const auto = f.mapTo === 'contact.email' ? ' autocomplete="email"' : f.mapTo === 'contact.phone' ? ' autocomplete="tel"' : f.mapTo === 'contact.name' ? ' autocomplete="name"' : '';
          return `${label}<input id="${id}" type="${type}" name="${escapeHtml(f.name)}" value="${value}"${auto}${req}${aria}>${errHtml}`;
        }
      }
    })
    .join('\n');
  const consentErr = errorOf('consent');
  const consent = form.consentText
    ? `<label class="check"><input type="checkbox" name="consent" value="yes"${values.consent ? ' checked' : ''}${form.consentRequired ? ' required' : ''}>${escapeHtml(form.consentText)}</label>${consentErr ? `<div class="err">${escapeHtml(consentErr.message)}</div>` : ''}`
    : '';
  const kept = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page']
    .map((n) => `<input type="hidden" name="${n}" value="${escapeHtml(text(values[n]))}">`)
    .join('');
  const turnstile = form.turnstile && form.turnstileSiteKey ? `<div class="cf-turnstile" data-sitekey="${escapeHtml(form.turnstileSiteKey)}"></div>` : '';
  return `${inputs}\n${consent}${kept}<input type="hidden" name="_hearth_ts" value="${escapeHtml(text(values._hearth_ts) || String(renderedAt))}"><div class="hp" aria-hidden="true"><input type="text" name="_hearth_hp" tabindex="-1" autocomplete="off"></div>${turnstile}<button type="submit">${t.submit}</button>`;
}

/** Copies UTM parameters, the referrer and the landing page into the hidden fields if they are empty. */
const ATTRIBUTION_SCRIPT = `(function(f){if(!f)return;var q=new URLSearchParams(location.search);function set(n,v){var i=f.querySelector('input[name="'+n+'"]');if(i&&!i.value&&v)i.value=v}['utm_source','utm_medium','utm_campaign','utm_term','utm_content'].forEach(function(n){set(n,q.get(n))});set('referrer',document.referrer);set('landing_page',location.href)})`;

/** The hosted form page; with errors it is the 422 page that keeps what the visitor typed. */
export function formPage(form: PublicForm, actionUrl: string, values: Fields = {}, errors: FieldError[] = [], now = Date.now()): string {
  const t = pageStrings(form.locale);
  const summary = errors.length ? `<div class="errors" role="alert"><p>${t.fix}</p><ul>${errors.map((e) => `<li>${escapeHtml(e.message)}</li>`).join('')}</ul></div>` : '';
  const turnstileJs = form.turnstile && form.turnstileSiteKey ? '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>' : '';
  return page(
    form.locale,
    form.name,
    `<h1>${escapeHtml(form.name)}</h1>${summary}<form method="post" action="${escapeHtml(actionUrl)}" id="hearth-form" novalidate>${formInputs(form, values, errors, now)}</form><script>${ATTRIBUTION_SCRIPT}(document.getElementById('hearth-form'))</script>${turnstileJs}`,
  );
}

export function thanksPage(form: Pick<PublicForm, 'locale' | 'name' | 'thankYouMessage'>): string {
  const t = pageStrings(form.locale);
  return page(form.locale, t.thanks, `<h1>${t.thanks}</h1><p>${escapeHtml(form.thankYouMessage ?? t.thanksBody)}</p>`);
}

export function messagePage(locale: string, message: string): string {
  return page(locale, message, `<h1>${escapeHtml(message)}</h1><p><a href="javascript:history.back()">${pageStrings(locale).back}</a></p>`);
}

/**
 * The one-line embed: `<script src=".../f/KEY/embed.js" async>` renders a plain form where the tag
 * is, fills the attribution and fill-time fields, and posts to this form (no CORS needed: it is a
 * normal form post that lands on the thank-you page).
 */
export function embedScript(form: PublicForm, actionUrl: string): string {
  const html = formInputs(form, {}, [], 0);
  return `(function(){var s=document.currentScript;var f=document.createElement('form');f.method='post';f.action=${JSON.stringify(actionUrl)};f.className='hearth-form';f.innerHTML=${JSON.stringify(html)};
var st=document.createElement('style');st.textContent=${JSON.stringify('.hearth-form label{display:block;margin:8px 0 4px}.hearth-form input,.hearth-form select,.hearth-form textarea{box-sizing:border-box;max-width:100%;width:100%}.hearth-form input[type=checkbox]{width:auto}.hearth-form .hp{position:absolute;left:-9999px}')};
(s&&s.parentNode?s.parentNode.insertBefore(f,s):document.body.appendChild(f));f.parentNode.insertBefore(st,f);
f.querySelector('input[name="_hearth_ts"]').value=String(Date.now());${ATTRIBUTION_SCRIPT}(f);${form.turnstile && form.turnstileSiteKey ? "var t=document.createElement('script');t.src='https://challenges.cloudflare.com/turnstile/v0/api.js';t.async=true;document.head.appendChild(t);" : ''}})();`;
}

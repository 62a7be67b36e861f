import type { Locale } from '../../lib/i18n';

type Meta = Record<string, unknown> | null;

const orderRef = (m: Record<string, unknown>) => `#${String(m.orderNumber ?? m.orderId ?? '')}`;

// The SPA renders system entries from `meta.event` with its own catalog; this text serves API
// clients and anything else that just wants a line to show.
const describe: Record<Locale, Record<string, (m: Record<string, unknown>) => string>> = {
  en: {
    'lifecycle.customer': (m) => `Became a customer after order ${orderRef(m)}`,
    'lifecycle.churned': (m) => `Marked churned: no purchase for ${String(m.days)} days`,
    'contact.merged': (m) => `Merged ${String(m.sourceName)} into ${String(m.targetName)}`,
    'company.merged': (m) => `Merged ${String(m.sourceName)} into ${String(m.targetName)}`,
    'deal.created': (m) => `Deal created: ${String(m.dealName)}`,
    'deal.stage_changed': (m) => `Deal ${String(m.dealName)} moved from ${String(m.fromStageName)} to ${String(m.toStageName)}`,
    'deal.won': (m) => `Deal won: ${String(m.dealName)}`,
    'deal.lost': (m) => `Deal lost: ${String(m.dealName)}${m.lostReason ? ` (${String(m.lostReason)})` : ''}`,
  },
  'zh-CN': {
    'lifecycle.customer': (m) => `订单 ${orderRef(m)} 后成为客户`,
    'lifecycle.churned': (m) => `标记为流失：${String(m.days)} 天未购买`,
    'contact.merged': (m) => `已将 ${String(m.sourceName)} 合并到 ${String(m.targetName)}`,
    'company.merged': (m) => `已将 ${String(m.sourceName)} 合并到 ${String(m.targetName)}`,
    'deal.created': (m) => `新建商机：${String(m.dealName)}`,
    'deal.stage_changed': (m) => `商机 ${String(m.dealName)} 从「${String(m.fromStageName)}」推进到「${String(m.toStageName)}」`,
    'deal.won': (m) => `赢单：${String(m.dealName)}`,
    'deal.lost': (m) => `输单：${String(m.dealName)}${m.lostReason ? `（${String(m.lostReason)}）` : ''}`,
  },
};

/** A one-line description of an entry Hearth wrote itself, from its structured `meta`. */
export function describeSystemEntry(meta: Meta, locale: Locale): string | null {
  if (!meta || typeof meta.event !== 'string') return null;
  const render = describe[locale][meta.event];
  return render ? render(meta) : null;
}

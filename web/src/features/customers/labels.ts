import type { Badge } from '../../components/Card';
import { t } from '../../lib/i18n';
import type { Lifecycle, RfmSegment } from './api';

type Tone = Parameters<typeof Badge>[0]['tone'];

export const LIFECYCLE_TONE: Record<Lifecycle, Tone> = { lead: 'amber', prospect: 'accent', customer: 'green', churned: 'red', other: 'gray' };

/** Segments worth acting on stand out: the best customers green, the slipping ones amber, the gone ones red. */
export const RFM_TONE: Record<RfmSegment, Tone> = {
  champions: 'green',
  loyal: 'green',
  potential: 'accent',
  new: 'accent',
  at_risk: 'amber',
  hibernating: 'amber',
  lost: 'red',
  none: 'gray',
};

export const lifecycleLabel = (l: Lifecycle) => t(`lifecycle.${l}`);
export const rfmLabel = (s: RfmSegment) => t(`rfm.${s}`);

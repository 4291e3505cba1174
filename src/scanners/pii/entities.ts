/** The entity types the PII scanner knows: rule id suffix, severity, default threshold, default on/off. */
import type { Severity } from '../types.ts';

export interface PiiEntity {
  /** Upper snake case, e.g. EMAIL_ADDRESS (the dataset's names where they exist). */
  type: string;
  start: number;
  end: number;
  /** Confidence in [0,1]. */
  score: number;
}

interface EntityInfo {
  severity: Severity;
  /** Findings below this confidence are dropped unless the config overrides it (tagged types: 0.65, chosen on the tune split). */
  threshold: number;
  /** In the default enabled set. */
  byDefault: boolean;
  /** Found by the token tagger (no checksum), else by a validating recogniser. */
  tagged?: boolean;
  /** Resolves overlaps: the higher priority keeps its span. */
  priority: number;
}

export const ENTITY_INFO = {
  CREDIT_CARD: { severity: 'high', threshold: 0.5, byDefault: true, priority: 90 },
  IBAN_CODE: { severity: 'high', threshold: 0.5, byDefault: true, priority: 92 },
  US_SSN: { severity: 'high', threshold: 0.5, byDefault: true, priority: 88 },
  US_ITIN: { severity: 'high', threshold: 0.5, byDefault: true, priority: 88 },
  US_BANK_ROUTING: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 80 },
  UK_NHS: { severity: 'high', threshold: 0.5, byDefault: true, priority: 84 },
  UK_NINO: { severity: 'high', threshold: 0.5, byDefault: true, priority: 84 },
  IN_AADHAAR: { severity: 'high', threshold: 0.5, byDefault: true, priority: 84 },
  IN_PAN: { severity: 'high', threshold: 0.5, byDefault: true, priority: 84 },
  EU_VAT: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 82 },
  PASSPORT: { severity: 'high', threshold: 0.5, byDefault: true, priority: 78 },
  US_DRIVER_LICENSE: { severity: 'high', threshold: 0.5, byDefault: true, priority: 78 },
  MEDICAL_RECORD_NUMBER: { severity: 'high', threshold: 0.5, byDefault: true, priority: 78 },
  HEALTH_PLAN_NUMBER: { severity: 'high', threshold: 0.5, byDefault: true, priority: 78 },
  EMAIL_ADDRESS: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 95 },
  PHONE_NUMBER: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 60 },
  IP_ADDRESS: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 86 },
  MAC_ADDRESS: { severity: 'low', threshold: 0.5, byDefault: true, priority: 86 },
  URL: { severity: 'low', threshold: 0.5, byDefault: true, priority: 94 },
  URL_CREDENTIALS: { severity: 'high', threshold: 0.5, byDefault: true, priority: 96 },
  DATE_OF_BIRTH: { severity: 'medium', threshold: 0.5, byDefault: true, priority: 70 },
  DATE_TIME: { severity: 'low', threshold: 0.65, byDefault: false, priority: 40, tagged: true },
  PERSON: { severity: 'medium', threshold: 0.65, byDefault: true, priority: 30, tagged: true },
  STREET_ADDRESS: { severity: 'medium', threshold: 0.65, byDefault: true, priority: 30, tagged: true },
  LOCATION: { severity: 'low', threshold: 0.65, byDefault: true, priority: 30, tagged: true },
  ORGANIZATION: { severity: 'low', threshold: 0.65, byDefault: true, priority: 30, tagged: true },
  TITLE: { severity: 'low', threshold: 0.65, byDefault: false, priority: 30, tagged: true },
  AGE: { severity: 'low', threshold: 0.65, byDefault: false, priority: 30, tagged: true },
  NRP: { severity: 'low', threshold: 0.65, byDefault: false, priority: 30, tagged: true },
  ZIP_CODE: { severity: 'low', threshold: 0.65, byDefault: true, priority: 35, tagged: true },
} satisfies Record<string, EntityInfo>;

export type PiiType = keyof typeof ENTITY_INFO;
export const PII_TYPES = Object.keys(ENTITY_INFO) as PiiType[];

export function entityInfo(type: string): EntityInfo | undefined {
  return (ENTITY_INFO as Record<string, EntityInfo>)[type];
}

/**
 * The types on when the config names none: everything except DATE_TIME, TITLE, AGE and NRP,
 * which are common in ordinary prose ("on Monday", "Mr.", "American") and identify no one alone.
 */
export const DEFAULT_TYPES: readonly PiiType[] = PII_TYPES.filter((type) => ENTITY_INFO[type].byDefault);

/**
 * ZAP's traditional report, read from JSON or XML into one shape. Text fields are already capped (see
 * FIELD_CAPS) so nothing downstream ever handles a multi-megabyte string; HTML fields are still HTML.
 */
export interface ZapReport {
  programName?: string;
  version?: string;
  generated?: string;
  sites: ZapSite[];
}

export interface ZapSite {
  /** `@name` as written (scheme://host[:port]), or rebuilt from host/port/ssl when missing. */
  name: string;
  host?: string;
  port?: string;
  ssl?: string;
  alerts: ZapAlert[];
}

export interface ZapAlert {
  pluginId?: string;
  alertRef?: string;
  /** `alert`, else `name`. */
  title: string;
  /** 0..3 when readable. */
  riskCode?: number;
  /** 0..4 when readable. */
  confidence?: number;
  riskDesc?: string;
  confidenceDesc?: string;
  desc: string;
  solution: string;
  reference: string;
  otherInfo: string;
  /** Positive CWE id; `-1`, `0` and missing mean none. */
  cweId?: number;
  wascId?: number;
  sourceId?: string;
  /** The report's own `count`; recounted from `instances` and only compared. */
  count?: number;
  instances: ZapInstance[];
  /**
   * Whole texts the capped fields cannot hold: `OtherInfo` when longer than FIELD_CAPS.html, `Requests` with every
   * instance's request and response (xml-plus / json-plus reports). Stored whole beside the report by the importer.
   */
  evidence?: { name: string; text: string }[];
}

/** uri, method and param are one line; attack, evidence and otherInfo are trimmed but may hold line breaks. */
export interface ZapInstance {
  uri: string;
  method: string;
  param: string;
  attack: string;
  evidence: string;
  otherInfo: string;
  /** First line of the response header (xml-plus / json-plus reports), e.g. `HTTP/1.1 200 OK`. */
  responseStatus?: string;
}

/** Longest text kept per field, applied while reading. */
export const FIELD_CAPS = {
  title: 512,
  /** HTML fields of an alert: more than the 1 KB description needs, little enough to convert quickly. */
  html: 8 * 1024,
  uri: 2048,
  method: 32,
  short: 512,
  statusLine: 120,
  attr: 2048,
} as const;
